namespace Personalization.Contracts.Persistence;

/// <summary>
/// The silo's customer change log. Customer grains append their changes here and answer once the
/// append is durable; one storage write carries every change that arrived while the previous one
/// was in flight (group commit), so storage writes grow with time, not with traffic. A customer is
/// its snapshot (grain storage) plus the changes logged after it under the same claim.
/// </summary>
public interface ICustomerLog
{
    /// <summary>This silo's log, as snapshots name it; null when changes are not logged (memory storage).</summary>
    string? Name { get; }

    /// <summary>False while appends are queued beyond the limit: callers push back instead of queueing more.</summary>
    bool HasRoom { get; }

    /// <summary>
    /// How long the latest appends took (a moving average; zero when nothing is logged): what the
    /// silo's snapshot pacer watches so background snapshots give way to the log.
    /// </summary>
    TimeSpan AppendLatency { get; }

    /// <summary>
    /// Keeps every change appended from now on readable until <see cref="Unpin"/>: returns the segment
    /// to unpin once the caller's snapshot covers its changes.
    /// </summary>
    long Pin();

    /// <summary>Lets a segment go once nothing pins it or anything before it.</summary>
    void Unpin(long segment);

    /// <summary>Appends framed records (<see cref="LogFrames"/>); completes when they are durable.</summary>
    Task AppendAsync(ReadOnlyMemory<byte> frames);

    /// <summary>One customer's records in a log under one claim, after a sequence number, in sequence order.</summary>
    Task<IReadOnlyList<LogRecord>> ReadAsync(string log, string key, long claim, long afterSeq);

    /// <summary>Logs of silos that are gone and whose records may still be needed.</summary>
    Task<IReadOnlyList<string>> OrphanedLogsAsync();

    /// <summary>The keys with records in a log.</summary>
    Task<IReadOnlyCollection<string>> KeysAsync(string log);

    /// <summary>Deletes an orphaned log once every key in it has taken its records over.</summary>
    Task DeleteAsync(string log);
}
