using System.ComponentModel.DataAnnotations;

namespace Personalization.AzureStorage.Logs;

/// <summary>The customer change log on Azure append blobs (section <c>CustomerLog</c>).</summary>
public sealed class CustomerLogOptions
{
    public const string Section = "CustomerLog";

    /// <summary>
    /// Blob container of the logs (one folder per silo, one append blob per segment); by default the
    /// grain state's container name followed by <c>-log</c>, so each deployment has its own.
    /// </summary>
    [RegularExpression("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$", ErrorMessage = "must be 3 to 63 lower-case letters, digits and single hyphens.")]
    public string? Container { get; set; }

    /// <summary>Most bytes in one append (one storage write); Azure takes up to 4 MiB.</summary>
    [Range(4096, 4 * 1024 * 1024)]
    public int MaxAppendBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Appends in flight at once: each carries everything queued when it started.</summary>
    [Range(1, 64)]
    public int ConcurrentAppends { get; set; } = 2;

    /// <summary>Bytes queued beyond which changes are refused (RESOURCE_EXHAUSTED) until storage catches up.</summary>
    [Range(1024 * 1024, 4L * 1024 * 1024 * 1024)]
    public long MaxQueuedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long a change waits for its append before the call fails UNAVAILABLE.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00")]
    public TimeSpan CommitTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A new segment after this long; a segment is deleted once no customer's changes in it are missing from its snapshot.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SegmentDuration { get; set; } = TimeSpan.FromMinutes(1);
}
