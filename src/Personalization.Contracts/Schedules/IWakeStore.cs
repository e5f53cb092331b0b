namespace Personalization.Contracts.Schedules;

/// <summary>One customer to wake at (not before) a due time.</summary>
/// <param name="CustomerId">The customer grain's key.</param>
/// <param name="Due">When the customer's earliest journey step or entry is due (UTC).</param>
[GenerateSerializer, Immutable]
public readonly record struct WakeEntry([property: Id(0)] string CustomerId, [property: Id(1)] DateTime Due);

/// <summary>One flush's entries for one shard and bucket: the unit the schedule writes, reads and deletes.</summary>
/// <param name="Bucket">The due-time bucket (<see cref="WakeBuckets.Of"/>) every entry falls in.</param>
/// <param name="Id">Unique within the shard and bucket (the writing silo and a sequence number).</param>
/// <param name="Entries">The customers to wake.</param>
[GenerateSerializer, Immutable]
public sealed record WakeBatch([property: Id(0)] long Bucket, [property: Id(1)] string Id, [property: Id(2)] List<WakeEntry> Entries)
{
    /// <summary>The batch's storage key within its shard: ordered by bucket, so a range read finds everything due.</summary>
    public string Key => WakeBuckets.Key(Bucket, Id);
}

/// <summary>
/// Durable storage of the wake-up schedule (README: Journeys, durable time): per shard, batches of due
/// times keyed by bucket. One write per batch however many customers it holds; a read finds every batch
/// of a shard up to a bucket (so whatever came due while the service was down is found too).
/// </summary>
public interface IWakeStore
{
    /// <summary>Writes one batch of a shard; completes when durable.</summary>
    Task WriteAsync(int shard, WakeBatch batch, CancellationToken cancellation = default);

    /// <summary>Every batch of a shard whose bucket is at most <paramref name="throughBucket"/>, in bucket order.</summary>
    Task<IReadOnlyList<WakeBatch>> ReadAsync(int shard, long throughBucket, CancellationToken cancellation = default);

    /// <summary>Deletes a batch whose customers were all woken (a missing batch is not an error).</summary>
    Task DeleteAsync(int shard, WakeBatch batch, CancellationToken cancellation = default);
}

/// <summary>Bucket arithmetic of the wake-up schedule.</summary>
public static class WakeBuckets
{
    /// <summary>The bucket a due time falls in: whole bucket widths since year 1.</summary>
    public static long Of(DateTime due, TimeSpan width) => due.Ticks / width.Ticks;

    /// <summary>When a bucket starts.</summary>
    public static DateTime Start(long bucket, TimeSpan width) => new(bucket * width.Ticks, DateTimeKind.Utc);

    /// <summary>A batch's storage key: the bucket zero-padded (ordinal order is bucket order), a dash, the batch id.</summary>
    public static string Key(long bucket, string id) => $"{bucket:D19}-{id}";

    /// <summary>The shard of a customer among <paramref name="shards"/> (stable across silos and restarts).</summary>
    public static int ShardOf(string customerId, int shards) => (int)(Decisioning.Customers.EventIdHash.Mixed(customerId) % (ulong)shards);
}
