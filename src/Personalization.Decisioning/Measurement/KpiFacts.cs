namespace Personalization.Decisioning.Measurement;

/// <summary>
/// What one touch or one purchase adds to the KPI read model (pure): a touch counts as a send,
/// delivery, open or click in every row it belongs to; a purchase counts as a conversion with its
/// revenue in the service row, and its credit under every
/// attribution model in the rows of the touches credited (shares, summing to 1 per conversion, and
/// cents, summing to the revenue).
/// Segment rows take the customer's memberships when the event happens (before the event itself moves
/// them): a touch counts in every segment the customer is in when touched; a purchase counts as a
/// purchase with its revenue in every segment the buyer is in, and with the conversion credit all its
/// touches earned (so the segment's conversion rate divides conversions by recipients of one audience).
/// </summary>
public static class KpiFacts
{
    /// <summary>The counts of a touch, on the touch's UTC day, in its rows and those of the <paramref name="segments"/> the customer is in.</summary>
    public static IEnumerable<KpiIncrement> ForTouch(Touch touch, IEnumerable<string>? segments = null)
    {
        var slot = touch.Kind switch
        {
            TouchKind.Sent => KpiMetric.Sends,
            TouchKind.Delivered => KpiMetric.Deliveries,
            TouchKind.Opened => KpiMetric.Opens,
            _ => KpiMetric.Clicks,
        };
        var day = DateOnly.FromDateTime(touch.At);
        return KpiDimension.Of(touch).Concat(KpiDimension.OfSegments(segments)).Select(d => new KpiIncrement(day, d, (int)slot, 1));
    }

    /// <summary>The counts of a purchase worth <paramref name="amount"/> at <paramref name="at"/> given the customer's touches and <paramref name="segments"/>, on the purchase's UTC day.</summary>
    public static List<KpiIncrement> ForPurchase(IReadOnlyList<Touch>? touches, DateTime at, double amount, string? offerId, AttributionSettings settings, IEnumerable<string>? segments = null)
    {
        var segmentRows = KpiDimension.OfSegments(segments).ToList();
        var day = DateOnly.FromDateTime(at);
        var cents = Attribution.Cents(amount);
        var increments = new List<KpiIncrement>
        {
            new(day, KpiDimension.Service, (int)KpiMetric.Conversions, 1),
            new(day, KpiDimension.Service, (int)KpiMetric.RevenueCents, cents),
        };
        foreach (var segment in segmentRows)
        {
            increments.Add(new(day, segment, (int)KpiMetric.Conversions, 1));
            increments.Add(new(day, segment, (int)KpiMetric.RevenueCents, cents));
        }

        foreach (var model in Attribution.Models)
        {
            var (share, creditCents) = (0.0, 0L);
            foreach (var credit in Attribution.Credit(touches, at, amount, offerId, model, settings))
            {
                (share, creditCents) = (share + credit.Share, creditCents + credit.ValueCents);
                // The service row's attributed total is the conversions any touch earned (each sums to one).
                foreach (var dimension in KpiDimension.Of(credit.Touch))
                {
                    increments.Add(new(day, dimension, KpiMetrics.AttributedConversions(model), credit.Share));
                    increments.Add(new(day, dimension, KpiMetrics.AttributedRevenue(model), credit.ValueCents));
                }
            }

            foreach (var segment in share > 0 ? segmentRows : [])
            {
                increments.Add(new(day, segment, KpiMetrics.AttributedConversions(model), share));
                increments.Add(new(day, segment, KpiMetrics.AttributedRevenue(model), creditCents));
            }
        }

        return increments;
    }
}
