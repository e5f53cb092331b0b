using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Contracts.Schedules;
using Personalization.Grains.Common;

namespace Personalization.Grains.Schedules;

/// <summary>
/// This silo's writer of the wake-up schedule (README: Journeys, durable time). Customer grains add their
/// next due time and wait until it is durable; every add that arrived while the previous flush was in
/// flight goes in the next one (group commit), grouped by shard and bucket: one storage write per group
/// (per <see cref="WakeScheduleOptions.MaxBatch"/> entries), however many customers it carries. After the
/// write the shard grain is told, so a due time in the bucket it already read is not missed until its next read.
/// </summary>
public sealed partial class WakeSchedule
{
    private readonly IWakeStore _store;
    private readonly IGrainFactory _grains;
    private readonly WakeScheduleOptions _options;
    private readonly ILogger<WakeSchedule> _logger;
    private readonly string _writer = Guid.NewGuid().ToString("N")[..12];
    private readonly GroupCommit<WakeEntry> _commit;
    private long _sequence;
    private long _writes;

    /// <summary>Builds the writer; its group commit writes through <see cref="FlushAsync"/>.</summary>
    public WakeSchedule(IWakeStore store, IGrainFactory grains, IOptions<WakeScheduleOptions> options, ILogger<WakeSchedule> logger)
    {
        (_store, _grains, _options, _logger) = (store, grains, options.Value, logger);
        _commit = new GroupCommit<WakeEntry>(FlushAsync);
    }

    /// <summary>Storage writes made (one per batch).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>Adds a customer's due time; completes once it is durable (then a crash cannot lose the wake-up).</summary>
    public Task AddAsync(string customerId, DateTime due) => _commit.AddAsync(new WakeEntry(customerId, due));

    private Task FlushAsync(IReadOnlyList<(WakeEntry Entry, TaskCompletionSource Done)> taken) =>
        Task.WhenAll(taken
            .GroupBy(p => (Shard: WakeBuckets.ShardOf(p.Entry.CustomerId, _options.Shards), Bucket: WakeBuckets.Of(p.Entry.Due, _options.Bucket)))
            .SelectMany(g => g.Chunk(_options.MaxBatch).Select(chunk => WriteAsync(g.Key.Shard, g.Key.Bucket, chunk))));

    private async Task WriteAsync(int shard, long bucket, (WakeEntry Entry, TaskCompletionSource Done)[] chunk)
    {
        var batch = new WakeBatch(bucket, $"{_writer}-{Interlocked.Increment(ref _sequence):x}", [.. chunk.Select(c => c.Entry).Distinct()]);
        try
        {
            await _store.WriteAsync(shard, batch);
            Interlocked.Increment(ref _writes);
        }
        catch (Exception ex)
        {
            LogWriteFailed(_logger, ex, shard, chunk.Length);
            foreach (var (_, done) in chunk)
            {
                done.TrySetException(ex);
            }

            return;
        }

        foreach (var (_, done) in chunk)
        {
            done.TrySetResult();
        }

        try
        {
            await _grains.GetGrain<IWakeShardGrain>(shard).Written([batch]);
        }
        catch (Exception ex)
        {
            // The shard reads the batch from storage at its next read anyway.
            LogTellFailed(_logger, ex, shard);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wake schedule: writing {Count} due times of shard {Shard} failed")]
    private static partial void LogWriteFailed(ILogger logger, Exception ex, int shard, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Wake schedule: telling shard {Shard} of a batch failed (it reads it later)")]
    private static partial void LogTellFailed(ILogger logger, Exception ex, int shard);
}
