using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Contracts.Schedules;

namespace Personalization.Grains.Schedules;

/// <summary>
/// This silo's writer of the wake-up schedule (README: Journeys, durable time). Customer grains add their
/// next due time and wait until it is durable; every add that arrived while the previous flush was in
/// flight goes in the next one (group commit), grouped by shard and bucket: one storage write per group
/// (per <see cref="WakeScheduleOptions.MaxBatch"/> entries), however many customers it carries. After the
/// write the shard grain is told, so a due time in the bucket it already read is not missed until its next read.
/// </summary>
public sealed partial class WakeSchedule(IWakeStore store, IGrainFactory grains, IOptions<WakeScheduleOptions> options, ILogger<WakeSchedule> logger)
{
    private readonly WakeScheduleOptions _options = options.Value;
    private readonly Lock _gate = new();
    private readonly string _writer = Guid.NewGuid().ToString("N")[..12];
    private List<(WakeEntry Entry, TaskCompletionSource Done)> _pending = [];
    private bool _flushing;
    private long _sequence;

    /// <summary>Storage writes made (one per batch).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    private long _writes;

    /// <summary>Adds a customer's due time; completes once it is durable (then a crash cannot lose the wake-up).</summary>
    public Task AddAsync(string customerId, DateTime due)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_gate)
        {
            _pending.Add((new WakeEntry(customerId, due), done));
            start = !_flushing;
            _flushing = true;
        }

        if (start)
        {
            _ = Task.Run(FlushLoopAsync);
        }

        return done.Task;
    }

    private async Task FlushLoopAsync()
    {
        while (true)
        {
            List<(WakeEntry Entry, TaskCompletionSource Done)> taken;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _flushing = false;
                    return;
                }

                taken = _pending;
                _pending = [];
            }

            await FlushAsync(taken);
        }
    }

    private Task FlushAsync(List<(WakeEntry Entry, TaskCompletionSource Done)> taken) =>
        Task.WhenAll(taken
            .GroupBy(p => (Shard: WakeBuckets.ShardOf(p.Entry.CustomerId, _options.Shards), Bucket: WakeBuckets.Of(p.Entry.Due, _options.Bucket)))
            .SelectMany(g => g.Chunk(_options.MaxBatch).Select(chunk => WriteAsync(g.Key.Shard, g.Key.Bucket, chunk))));

    private async Task WriteAsync(int shard, long bucket, (WakeEntry Entry, TaskCompletionSource Done)[] chunk)
    {
        var batch = new WakeBatch(bucket, $"{_writer}-{Interlocked.Increment(ref _sequence):x}", [.. chunk.Select(c => c.Entry).Distinct()]);
        try
        {
            await store.WriteAsync(shard, batch);
            Interlocked.Increment(ref _writes);
        }
        catch (Exception ex)
        {
            LogWriteFailed(logger, ex, shard, chunk.Length);
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
            await grains.GetGrain<IWakeShardGrain>(shard).Written([batch]);
        }
        catch (Exception ex)
        {
            // The shard reads the batch from storage at its next read anyway.
            LogTellFailed(logger, ex, shard);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wake schedule: writing {Count} due times of shard {Shard} failed")]
    private static partial void LogWriteFailed(ILogger logger, Exception ex, int shard, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Wake schedule: telling shard {Shard} of a batch failed (it reads it later)")]
    private static partial void LogTellFailed(ILogger logger, Exception ex, int shard);
}
