using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Personalization.Contracts.Journeys;
using Personalization.Decisioning.Journeys;

namespace Personalization.Grains.Journeys;

/// <summary>
/// This silo's journey counts since the last flush: customers add without a call, and every
/// <see cref="FlushInterval"/> the totals go to each journey's <see cref="IJourneyStatsGrain"/> (one
/// call per journey per silo per second, however many customers moved). A failed flush keeps its
/// counts for the next one.
/// </summary>
public sealed partial class JourneyCounters(IGrainFactory grains, TimeProvider time, ILogger<JourneyCounters> logger) : IDisposable
{
    /// <summary>How often counts are sent to the journeys.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private ConcurrentDictionary<JourneyCount, long> _counts = new();
    private ITimer? _timer;
    private int _flushing;

    /// <summary>Adds increments; starts the flush timer on first use.</summary>
    public void Add(IEnumerable<JourneyCount> counts)
    {
        foreach (var count in counts)
        {
            _counts.AddOrUpdate(count, 1, static (_, n) => n + 1);
        }

        if (_timer is null)
        {
            lock (_gate)
            {
                _timer ??= time.CreateTimer(_ => _ = FlushAsync(), null, FlushInterval, FlushInterval);
            }
        }
    }

    /// <summary>Sends what was counted so far to the journeys.</summary>
    public async Task FlushAsync()
    {
        if (Interlocked.Exchange(ref _flushing, 1) == 1)
        {
            return;
        }

        try
        {
            var taken = Interlocked.Exchange(ref _counts, new());
            foreach (var journey in taken.GroupBy(c => c.Key.JourneyId))
            {
                var totals = journey.Select(c => new JourneyTotal(c.Key, c.Value)).ToList();
                try
                {
                    await grains.GetGrain<IJourneyStatsGrain>(journey.Key).Add(totals);
                }
                catch (Exception ex)
                {
                    LogFlushFailed(logger, ex, journey.Key);
                    foreach (var total in totals)
                    {
                        _counts.AddOrUpdate(total.Key, total.Count, (_, n) => n + total.Count);
                    }
                }
            }
        }
        finally
        {
            Volatile.Write(ref _flushing, 0);
        }
    }

    public void Dispose() => _timer?.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Journey {JourneyId}: counts not sent, kept for the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string journeyId);
}
