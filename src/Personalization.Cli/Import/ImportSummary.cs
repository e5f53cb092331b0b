namespace Personalization.Cli.Import;

/// <summary>What an import did: rows read, accepted, duplicates, and rejections with their reasons.</summary>
public sealed class ImportSummary
{
    public int Read { get; set; }

    public int Accepted { get; set; }

    public int Duplicates { get; set; }

    /// <summary>Rejected rows: line and reason.</summary>
    public List<(int Line, string Reason)> Rejected { get; } = [];
}
