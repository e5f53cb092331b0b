using System.ComponentModel.DataAnnotations;

namespace Personalization.Contracts.Persistence;

/// <summary>The event export for the data lake (section <c>EventExport</c>): applied events as JSON Lines on blob storage.</summary>
public sealed class EventExportOptions
{
    public const string Section = "EventExport";

    /// <summary>Whether applied events are exported (off by default: it writes every event a second time).</summary>
    public bool Enabled { get; set; }

    /// <summary>
    /// Blob container of the export (<c>events/date=yyyy-MM-dd/{silo}-{ticks}-{n}.jsonl</c>); by default
    /// the grain state's container name followed by <c>-export</c>.
    /// </summary>
    [RegularExpression("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$", ErrorMessage = "must be 3 to 63 lower-case letters, digits and single hyphens.")]
    public string? Container { get; set; }

    /// <summary>How often queued events are written (one append per interval, at most <see cref="MaxAppendBytes"/> each).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most bytes in one append (Azure takes up to 4 MiB).</summary>
    [Range(4096, 4 * 1024 * 1024)]
    public int MaxAppendBytes { get; set; } = 4 * 1024 * 1024;
}
