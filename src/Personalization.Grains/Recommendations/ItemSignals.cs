using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Personalization.Contracts.Recommendations;
using Personalization.Decisioning.Recommendations;

namespace Personalization.Grains.Recommendations;

/// <summary>
/// This silo's item signals (views, purchases, searches) since the last flush: customer grains add without a
/// call, and every <see cref="FlushInterval"/> the signals go to the one <see cref="IItemStatsGrain"/> in batches
/// of up to <see cref="MaxPerCall"/>, so that grain takes a call per silo per interval, not one per event.
/// (<c>SiloSums</c> does this for numbers summed by key; signals are not sums — bought-together pairs are
/// counted by Space-Saving from whole baskets — so they are batched, not added.) A failed flush keeps its
/// signals for the next one. At most <see cref="MaxPending"/> wait; beyond that new ones are dropped and counted
/// (<see cref="Dropped"/>). Statistics, not records: a silo crash loses at most one interval of this silo's
/// signals (besides what the statistics grain had not written yet); a customer's own interests are in its state
/// and are never lost with them.
/// </summary>
public sealed partial class ItemSignals(IGrainFactory grains, TimeProvider time, ILogger<ItemSignals> logger) : IDisposable
{
    /// <summary>How often signals are sent to the statistics.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(500);

    /// <summary>Most signals one call carries.</summary>
    public const int MaxPerCall = 5_000;

    /// <summary>Most signals waiting for a flush.</summary>
    public const int MaxPending = 200_000;

    private readonly ConcurrentQueue<ItemSignal> _pending = new();
    private readonly Lock _gate = new();
    private ITimer? _timer;
    private int _count;
    private int _flushing;
    private long _calls;
    private long _dropped;

    /// <summary>Calls made to the statistics grain by this silo so far.</summary>
    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Signals dropped because <see cref="MaxPending"/> were waiting.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Queues signals for the next flush; starts the flush timer on first use.</summary>
    public void Add(IReadOnlyList<ItemSignal> signals)
    {
        foreach (var signal in signals)
        {
            if (Interlocked.Increment(ref _count) > MaxPending)
            {
                Interlocked.Decrement(ref _count);
                Interlocked.Increment(ref _dropped);
                continue;
            }

            _pending.Enqueue(signal);
        }

        if (_timer is null)
        {
            lock (_gate)
            {
                _timer ??= time.CreateTimer(_ => _ = FlushAsync(), null, FlushInterval, FlushInterval);
            }
        }
    }

    /// <summary>Sends what is waiting, in batches; a failed batch goes back to wait for the next flush.</summary>
    public async Task FlushAsync()
    {
        if (Interlocked.Exchange(ref _flushing, 1) == 1)
        {
            return;
        }

        try
        {
            var waiting = Volatile.Read(ref _count);
            while (waiting > 0)
            {
                var batch = new List<ItemSignal>(Math.Min(waiting, MaxPerCall));
                while (batch.Count < MaxPerCall && _pending.TryDequeue(out var signal))
                {
                    batch.Add(signal);
                }

                if (batch.Count == 0)
                {
                    break;
                }

                Interlocked.Add(ref _count, -batch.Count);
                waiting -= batch.Count;
                try
                {
                    Interlocked.Increment(ref _calls);
                    await grains.GetGrain<IItemStatsGrain>(IItemStatsGrain.DefaultKey).Observe(batch);
                }
                catch (Exception ex)
                {
                    LogFlushFailed(logger, ex, batch.Count);
                    Add(batch);
                    break;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _flushing, 0);
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        GC.SuppressFinalize(this);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "item statistics: {Count} signals not sent, kept for the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, int count);
}
