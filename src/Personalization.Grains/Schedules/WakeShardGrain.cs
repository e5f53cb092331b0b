using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Schedules;

namespace Personalization.Grains.Schedules;

/// <summary>
/// One shard of the wake-up schedule: a thin orchestrator over <see cref="IWakeStore"/>. About once per
/// bucket width it reads every batch due through the next bucket (whatever came due while the service
/// was down included) and holds them in memory; every tick it wakes the customers whose due time has
/// come (never before), at most <see cref="WakeScheduleOptions.Concurrency"/> at once and each with a slot of the
/// silo's <see cref="WakePacer"/>; a batch is deleted
/// once every customer in it answered, so a crash before that wakes them again (the customer ignores a
/// wake it already passed). Reentrant: the silos' <see cref="IWakeShardGrain.Written"/> calls arrive while a wake pass runs.
/// </summary>
[Reentrant]
public sealed partial class WakeShardGrain(IWakeStore store, WakePacer pacer, IOptions<WakeScheduleOptions> options, TimeProvider time, ILogger<WakeShardGrain> logger) : Grain, IWakeShardGrain
{
    /// <summary>Lateness histogram resolution (ms) and length: 10 ms steps to 60 s, the last one beyond.</summary>
    public const int LatenessStepMs = 10;

    private const int LatenessSteps = 6000;

    private static readonly TimeSpan Retry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ForgetDeleted = TimeSpan.FromMinutes(2);

    private readonly WakeScheduleOptions _options = options.Value;
    private readonly Dictionary<string, Held> _held = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTime> _deleted = new(StringComparer.Ordinal);
    private readonly PriorityQueue<(WakeEntry Entry, Held Batch), DateTime> _due = new();
    private readonly long[] _lateness = new long[LatenessSteps + 1];
    private DateTime _nextRead = DateTime.MinValue;
    private long _horizon = long.MinValue;
    private bool _running;
    private long _woken;
    private int _pending;
    private IGrainTimer? _timer;

    private int Shard => (int)this.GetPrimaryKeyLong();

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public Task Ensure()
    {
        _timer ??= this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(TimeSpan.Zero, _options.Tick) { Interleave = true, KeepAlive = true });
        return Task.CompletedTask;
    }

    public Task Written(List<WakeBatch> batches)
    {
        Ensure();
        foreach (var batch in batches.Where(b => b.Bucket <= _horizon))
        {
            Take(batch);
        }

        return Task.CompletedTask;
    }

    public Task<WakeShardStatus> Status() => Task.FromResult(new WakeShardStatus(_held.Count, _pending, _woken, [.. _lateness]));

    private async Task TickAsync(CancellationToken cancellation)
    {
        if (_running)
        {
            return;
        }

        _running = true;
        try
        {
            var now = Now;
            if (now >= _nextRead)
            {
                await ReadAsync(now);
            }

            await WakeDueAsync();
            await DeleteDoneAsync();
        }
        catch (Exception ex)
        {
            LogTickFailed(logger, ex, Shard);
        }
        finally
        {
            _running = false;
        }
    }

    // Everything through the next bucket: the shard is always one bucket ahead of the clock.
    private async Task ReadAsync(DateTime now)
    {
        var through = WakeBuckets.Of(now + _options.Bucket, _options.Bucket);
        var batches = await store.ReadAsync(Shard, through);
        foreach (var batch in batches)
        {
            Take(batch);
        }

        _horizon = Math.Max(_horizon, through);
        _nextRead = now + _options.Bucket;
        foreach (var (key, at) in _deleted.Where(d => now - d.Value > ForgetDeleted).ToList())
        {
            _deleted.Remove(key);
        }
    }

    private void Take(WakeBatch batch)
    {
        if (_held.ContainsKey(batch.Key) || _deleted.ContainsKey(batch.Key))
        {
            return;
        }

        var held = new Held(batch);
        _held[batch.Key] = held;
        foreach (var entry in batch.Entries)
        {
            _due.Enqueue((entry, held), entry.Due);
        }

        _pending += batch.Entries.Count;
    }

    // One pass: the customers due when it starts. A wake that fails comes due again a second later, in a later
    // pass, so a pass ends even while wakes keep failing, and the tick goes on to delete the batches done and to
    // read the next bucket (a pass that took every retry along kept all of that waiting for as long as one failed).
    private async Task WakeDueAsync()
    {
        var running = new List<Task>(_options.Concurrency);
        var until = Now;
        while (_due.TryPeek(out _, out var due) && due <= until)
        {
            var (entry, held) = _due.Dequeue();
            if (running.Count >= _options.Concurrency)
            {
                var done = await Task.WhenAny(running);
                running.Remove(done);
            }

            running.Add(WakeAsync(entry, held));
        }

        await Task.WhenAll(running);
    }

    private async Task WakeAsync(WakeEntry entry, Held held)
    {
        try
        {
            await pacer.RunAsync(() => GrainFactory.GetGrain<ICustomerGrain>(entry.CustomerId).WakeJourneys(entry.Due));
        }
        catch (Exception ex)
        {
            LogWakeFailed(logger, ex, entry.CustomerId);
            _due.Enqueue((entry, held), Now + Retry);
            return;
        }

        var late = (Now - entry.Due).TotalMilliseconds / LatenessStepMs;
        _lateness[late <= 0 ? 0 : late >= LatenessSteps ? LatenessSteps : (int)late]++;
        _woken++;
        _pending--;
        held.Left--;
    }

    private async Task DeleteDoneAsync()
    {
        foreach (var held in _held.Values.Where(h => h.Left == 0).ToList())
        {
            try
            {
                await store.DeleteAsync(Shard, held.Batch);
            }
            catch (Exception ex)
            {
                LogDeleteFailed(logger, ex, Shard);
                continue;
            }

            _held.Remove(held.Batch.Key);
            _deleted[held.Batch.Key] = Now;
        }
    }

    private sealed class Held(WakeBatch batch)
    {
        public WakeBatch Batch { get; } = batch;

        public int Left { get; set; } = batch.Entries.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wake schedule shard {Shard}: a tick failed (retried at the next)")]
    private static partial void LogTickFailed(ILogger logger, Exception ex, int shard);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Wake schedule: waking {Customer} failed (retried in a second)")]
    private static partial void LogWakeFailed(ILogger logger, Exception ex, string customer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wake schedule shard {Shard}: deleting a done batch failed (retried)")]
    private static partial void LogDeleteFailed(ILogger logger, Exception ex, int shard);
}
