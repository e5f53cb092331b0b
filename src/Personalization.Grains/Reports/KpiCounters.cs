using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Personalization.Contracts.Reports;
using Personalization.Decisioning.Measurement;

namespace Personalization.Grains.Reports;

/// <summary>
/// This silo's KPI increments since the last flush: customers add without a call, and every
/// <see cref="FlushInterval"/> the sums go to each day's <see cref="IKpiDayGrain"/> (one call per day
/// touched per silo per flush, however many customers counted), so reports are fresh within seconds.
/// A failed flush keeps its sums for the next one.
/// </summary>
public sealed partial class KpiCounters(IGrainFactory grains, TimeProvider time, ILogger<KpiCounters> logger) : IDisposable
{
    /// <summary>How often sums are sent to the days.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private ConcurrentDictionary<(DateOnly Day, string Dimension, int Slot), double> _sums = new();
    private ITimer? _timer;
    private int _flushing;

    /// <summary>Adds increments; starts the flush timer on first use.</summary>
    public void Add(IEnumerable<KpiIncrement> increments)
    {
        foreach (var increment in increments)
        {
            _sums.AddOrUpdate((increment.Day, increment.Dimension, increment.Slot), increment.Amount, (_, sum) => sum + increment.Amount);
        }

        if (_timer is null)
        {
            lock (_gate)
            {
                _timer ??= time.CreateTimer(_ => _ = FlushAsync(), null, FlushInterval, FlushInterval);
            }
        }
    }

    /// <summary>Sends what was summed so far to the days.</summary>
    public async Task FlushAsync()
    {
        if (Interlocked.Exchange(ref _flushing, 1) == 1)
        {
            return;
        }

        try
        {
            var taken = Interlocked.Exchange(ref _sums, new());
            foreach (var day in taken.GroupBy(s => s.Key.Day))
            {
                var totals = day.Select(s => new KpiTotal(s.Key.Dimension, s.Key.Slot, s.Value)).ToList();
                try
                {
                    await grains.GetGrain<IKpiDayGrain>(IKpiDayGrain.Key(day.Key)).Add(totals);
                }
                catch (Exception ex)
                {
                    LogFlushFailed(logger, ex, day.Key);
                    foreach (var s in day)
                    {
                        _sums.AddOrUpdate(s.Key, s.Value, (_, sum) => sum + s.Value);
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "KPI day {Day}: counts not sent, kept for the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, DateOnly day);
}
