namespace Personalization.Decisioning.Measurement;

/// <summary>
/// The counters a KPI report sums, per day and dimension. Revenue is in cents so sums stay exact.
/// The attributed counters come one per <see cref="AttributionModel"/>, in its order
/// (<see cref="KpiMetrics.AttributedConversions"/>, <see cref="KpiMetrics.AttributedRevenue"/>).
/// </summary>
public enum KpiMetric
{
    /// <summary>Messages sent.</summary>
    Sends = 0,

    /// <summary>Messages delivered and inbound offers shown.</summary>
    Deliveries = 1,

    /// <summary>Messages opened.</summary>
    Opens = 2,

    /// <summary>Clicks.</summary>
    Clicks = 3,

    /// <summary>Purchases (service-wide and per channel of purchase: every one; per campaign, journey, offer: see the attributed counters).</summary>
    Conversions = 4,

    /// <summary>Revenue of those purchases, in cents.</summary>
    RevenueCents = 5,

    /// <summary>The first attributed-conversions counter (last touch); the others follow in model order.</summary>
    AttributedConversions = 6,

    /// <summary>The first attributed-revenue counter in cents (last touch); the others follow in model order.</summary>
    AttributedRevenueCents = 11,
}
