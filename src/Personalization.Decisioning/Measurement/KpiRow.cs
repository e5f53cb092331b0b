namespace Personalization.Decisioning.Measurement;

/// <summary>
/// One row of a KPI report over a date range: counts, rates with 95% intervals over the recipients
/// (deliveries, or sends when no delivery was reported), conversions and revenue attributed by the
/// chosen model, and, for the service row, every purchase and its revenue.
/// </summary>
public sealed record KpiRow(
    string Kind,
    string Id,
    long Sends,
    long Deliveries,
    long Opens,
    long Clicks,
    long Purchases,
    double Revenue,
    double Conversions,
    double AttributedRevenue,
    Proportion OpenRate,
    Proportion ClickRate,
    Proportion ConversionRate)
{
    /// <summary>The UTC day the row covers in a day-by-day report; null when it covers the whole range.</summary>
    public DateOnly? Day { get; init; }

    /// <summary>Recipients: the denominator of every rate.</summary>
    public long Recipients => Deliveries > 0 ? Deliveries : Sends;

    /// <summary>Attributed revenue per attributed conversion; 0 without conversions.</summary>
    public double AverageOrderValue => Conversions > 0 ? AttributedRevenue / Conversions : 0;

    /// <summary>Attributed revenue per recipient; 0 without recipients.</summary>
    public double RevenuePerRecipient => Recipients > 0 ? AttributedRevenue / Recipients : 0;

    /// <summary>The row of one dimension's summed counters (<see cref="KpiMetrics"/> slots) under <paramref name="model"/>.</summary>
    public static KpiRow Of(string dimension, IReadOnlyList<double> counters, AttributionModel model)
    {
        var (kind, id) = KpiDimension.Parse(dimension);
        long Count(KpiMetric metric) => (long)Math.Round(counters[(int)metric]);
        var (sends, deliveries) = (Count(KpiMetric.Sends), Count(KpiMetric.Deliveries));
        double recipients = deliveries > 0 ? deliveries : sends;
        var conversions = counters[KpiMetrics.AttributedConversions(model)];
        return new KpiRow(
            kind,
            id,
            sends,
            deliveries,
            Count(KpiMetric.Opens),
            Count(KpiMetric.Clicks),
            Count(KpiMetric.Conversions),
            counters[(int)KpiMetric.RevenueCents] / 100.0,
            conversions,
            counters[KpiMetrics.AttributedRevenue(model)] / 100.0,
            Proportion.Of(Count(KpiMetric.Opens), recipients),
            Proportion.Of(Count(KpiMetric.Clicks), recipients),
            Proportion.Of(conversions, recipients));
    }
}
