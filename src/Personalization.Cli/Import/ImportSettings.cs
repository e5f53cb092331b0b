namespace Personalization.Cli.Import;

/// <summary>How rows become traits.</summary>
public sealed record ImportSettings
{
    /// <summary>The column holding the customer id; null tries customerID, customer_id, then id.</summary>
    public string? IdColumn { get; init; }

    /// <summary>Values that mean "unknown" per column (e.g. age=118): such a trait is left out.</summary>
    public IReadOnlyDictionary<string, string> Missing { get; init; } = new Dictionary<string, string>();

    /// <summary>Columns holding dates, with their format (e.g. became_member_on=yyyyMMdd).</summary>
    public IReadOnlyDictionary<string, string> Dates { get; init; } = new Dictionary<string, string>();
}
