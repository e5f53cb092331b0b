namespace Personalization.Contracts.Schedules;

/// <summary>
/// One shard of the wake-up schedule (key: the shard number): reads its due batches from the
/// <see cref="IWakeStore"/>, wakes each customer when due (never before), and deletes a batch once all
/// its customers answered. Every silo keeps every shard active (<c>WakeScheduleTicker</c>), so a shard
/// lost with its silo resumes on another within a tick and finds its batches in storage.
/// </summary>
public interface IWakeShardGrain : IGrainWithIntegerKey
{
    /// <summary>Keeps the shard active (and starts its timer); the silos' tickers call this.</summary>
    Task Ensure();

    /// <summary>A silo just wrote these batches (already durable): take them now rather than at the next read.</summary>
    Task Written(List<WakeBatch> batches);

    /// <summary>Batches read but not yet deleted, and the customers in them not yet woken (the harness's and tests' view).</summary>
    Task<WakeShardStatus> Status();
}

/// <summary>A shard's backlog as its grain sees it.</summary>
/// <param name="Batches">Batches held in memory (read or written, not yet deleted).</param>
/// <param name="Pending">Customers in them still to wake.</param>
/// <param name="Woken">Customers this activation woke.</param>
/// <param name="Lateness">How late each of them was woken: counts per 10 ms step from the due time, the last step everything beyond.</param>
[GenerateSerializer, Immutable]
public sealed record WakeShardStatus([property: Id(0)] int Batches, [property: Id(1)] int Pending, [property: Id(2)] long Woken, [property: Id(3)] long[] Lateness);
