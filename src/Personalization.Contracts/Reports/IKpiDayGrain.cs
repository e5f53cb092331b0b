using Orleans.Concurrency;

namespace Personalization.Contracts.Reports;

/// <summary>
/// One UTC day of the KPI read model (key: <see cref="Key"/> of the day): counters per dimension
/// (service, campaign, journey, offer, channel), fed by every silo's counters every few seconds, so a
/// report over a date range reads one grain per day instead of every customer.
/// </summary>
public interface IKpiDayGrain : IGrainWithStringKey
{
    /// <summary>The key of a day: ISO yyyy-MM-dd.</summary>
    static string Key(DateOnly day) => day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Adds increments gathered on a silo.</summary>
    Task Add(List<KpiTotal> totals);

    /// <summary>The day's counters by dimension key, each an array of <see cref="Decisioning.Measurement.KpiMetrics.Count"/> slots.</summary>
    [AlwaysInterleave]
    Task<Dictionary<string, double[]>> Get();
}
