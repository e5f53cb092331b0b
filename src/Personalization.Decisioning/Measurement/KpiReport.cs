using Personalization.Decisioning.Campaigns;

namespace Personalization.Decisioning.Measurement;

/// <summary>
/// A KPI report from the daily read model (pure): the days' counters summed per dimension, the rows
/// of one dimension kind (or one id of it), and the service's incremental effect from the campaigns'
/// global-control arms.
/// </summary>
public static class KpiReport
{
    /// <summary>The longest range a report reads, in days.</summary>
    public const int MaxDays = 366;

    /// <summary>
    /// The rows of dimension <paramref name="kind"/> (only <paramref name="id"/> when given) over the
    /// <paramref name="days"/>' counters, ordered by id, under <paramref name="model"/>.
    /// </summary>
    public static List<KpiRow> Rows(IEnumerable<IReadOnlyDictionary<string, double[]>> days, string kind, string? id, AttributionModel model)
    {
        var sums = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var day in days)
        {
            foreach (var (dimension, counters) in day)
            {
                var (rowKind, rowId) = KpiDimension.Parse(dimension);
                if (rowKind != kind || (!string.IsNullOrEmpty(id) && rowId != id))
                {
                    continue;
                }

                if (!sums.TryGetValue(dimension, out var sum))
                {
                    sums[dimension] = sum = new double[KpiMetrics.Count];
                }

                for (var i = 0; i < Math.Min(sum.Length, counters.Length); i++)
                {
                    sum[i] += counters[i];
                }
            }
        }

        if (kind == KpiDimension.Service && sums.Count == 0)
        {
            sums[KpiDimension.Service] = new double[KpiMetrics.Count];
        }

        return [.. sums.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => KpiRow.Of(s.Key, s.Value, model))];
    }

    /// <summary>
    /// The rows of <see cref="Rows"/> for each day apart, ordered by day and then id; the service row
    /// appears on every day (zero on a quiet one) so a chart has no gaps, other kinds only where counted.
    /// </summary>
    public static List<KpiRow> RowsByDay(IEnumerable<(DateOnly Day, IReadOnlyDictionary<string, double[]> Counters)> days, string kind, string? id, AttributionModel model) =>
        [.. days.OrderBy(d => d.Day).SelectMany(d => Rows([d.Counters], kind, id, model).Select(r => r with { Day = d.Day }))];

    /// <summary>
    /// Members outside the global control group (reached or held out by the campaign) against those in
    /// it, pooled over <paramref name="campaigns"/>: each campaign decision is a unit, so a customer two
    /// campaigns decided counts twice on both sides alike.
    /// </summary>
    public static Difference GlobalControlEffect(IEnumerable<CampaignMeasurement> campaigns)
    {
        var everyone = new ArmCounts();
        var control = new ArmCounts();
        foreach (var campaign in campaigns)
        {
            everyone.Add(campaign.Reached);
            everyone.Add(campaign.Holdout);
            control.Add(campaign.GlobalControl);
        }

        return Difference.OfConversion(everyone, control);
    }
}
