using Microsoft.Extensions.Logging;
using Personalization.Contracts.Reports;
using Personalization.Decisioning.Measurement;
using Personalization.Grains.Common;

namespace Personalization.Grains.Reports;

/// <summary>
/// This silo's KPI increments since the last flush: customers add without a call, and every
/// <see cref="FlushInterval"/> the sums go to each day's <see cref="IKpiDayGrain"/> (one call per day
/// touched per silo per flush, however many customers counted), so reports are fresh within seconds.
/// A failed flush keeps its sums for the next one.
/// </summary>
public sealed class KpiCounters(IGrainFactory grains, TimeProvider time, ILogger<KpiCounters> logger)
    : SiloSums<(DateOnly Day, string Dimension, int Slot), DateOnly, double>(time, FlushInterval, logger)
{
    /// <summary>How often sums are sent to the days.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);

    /// <summary>Adds increments; starts the flush timer on first use.</summary>
    public void Add(IEnumerable<KpiIncrement> increments)
    {
        foreach (var increment in increments)
        {
            Add((increment.Day, increment.Dimension, increment.Slot), increment.Amount);
        }
    }

    protected override DateOnly GroupOf((DateOnly Day, string Dimension, int Slot) key) => key.Day;

    protected override Task SendAsync(DateOnly day, IReadOnlyList<KeyValuePair<(DateOnly Day, string Dimension, int Slot), double>> sums) =>
        grains.GetGrain<IKpiDayGrain>(IKpiDayGrain.Key(day)).Add([.. sums.Select(s => new KpiTotal(s.Key.Dimension, s.Key.Slot, s.Value))]);
}
