using System.ComponentModel.DataAnnotations;

namespace Personalization.Contracts.Persistence;

/// <summary>The decision log (section <c>DecisionLog</c>): what each decision logs and how it is written.</summary>
public sealed class DecisionLogOptions
{
    public const string Section = "DecisionLog";

    /// <summary>Whether decisions and outcomes are logged at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Customer features logged with every decision besides the active offer model's own, as
    /// <c>name</c> (a number) or <c>name:string</c> (text): what a caller may ask training rows for.
    /// </summary>
    public List<string> Features { get; set; } =
    [
        "sessions_30d", "views_30d", "purchases", "revenue", "days_since_last_purchase", "days_since_last_seen",
        "cart_value", "email_open_rate", "email_click_rate", "event_count",
    ];

    /// <summary>
    /// Blob container of the log (one folder per UTC day, one append blob per silo segment); by
    /// default the grain state's container name followed by <c>-decisions</c>.
    /// </summary>
    [RegularExpression("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$", ErrorMessage = "must be 3 to 63 lower-case letters, digits and single hyphens.")]
    public string? Container { get; set; }

    /// <summary>How often queued entries are written (one append per interval, at most <see cref="MaxAppendBytes"/> each).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Most bytes in one append (Azure takes up to 4 MiB).</summary>
    [Range(4096, 4 * 1024 * 1024)]
    public int MaxAppendBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Days of log kept; older day folders are deleted.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>Most bytes a memory-storage silo keeps (the oldest days go first).</summary>
    [Range(1024 * 1024, 16L * 1024 * 1024 * 1024)]
    public long MaxMemoryBytes { get; set; } = 256L * 1024 * 1024;
}
