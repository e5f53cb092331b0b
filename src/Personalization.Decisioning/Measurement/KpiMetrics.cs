namespace Personalization.Decisioning.Measurement;

/// <summary>The slots of a day's counters for one dimension (<see cref="KpiMetric"/>).</summary>
public static class KpiMetrics
{
    /// <summary>Counters per dimension per day.</summary>
    public const int Count = (int)KpiMetric.AttributedRevenueCents + 5;

    /// <summary>The slot of conversions attributed by <paramref name="model"/>.</summary>
    public static int AttributedConversions(AttributionModel model) => (int)KpiMetric.AttributedConversions + (int)model;

    /// <summary>The slot of revenue (cents) attributed by <paramref name="model"/>.</summary>
    public static int AttributedRevenue(AttributionModel model) => (int)KpiMetric.AttributedRevenueCents + (int)model;
}
