using System.Globalization;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Features;

namespace Personalization.Decisioning.Learning;

/// <summary>
/// Point-in-time training rows for customer-level kinds other than churn (clv,
/// purchase-propensity, ...), rebuilt from the event export: a customer's exported events that
/// occurred up to the snapshot are replayed through <see cref="CustomerEvents.Apply"/> (the grain's
/// own rules) into a fresh state, the features are read from it as of the snapshot, and the labels
/// come only from purchases that occurred strictly after it, within the label window. Pure.
/// </summary>
public static class SnapshotRows
{
    /// <summary>The value label: the purchase amounts summed over the label window (the clv label).</summary>
    public const string RevenueLabel = "future_revenue";

    /// <summary>The probability label: 1 when the customer bought within the label window, else 0 (the purchase-propensity label).</summary>
    public const string PurchasedLabel = "purchased";

    /// <summary>The header: id, snapshot time, the features, then both labels.</summary>
    public static IEnumerable<string> Header(IReadOnlyList<FeatureSpec> features) =>
        ["customer_id", "snapshot_at", .. features.Select(f => f.Name), RevenueLabel, PurchasedLabel];

    /// <summary>Why a snapshot and label window cannot make complete labels at <paramref name="now"/>, or null.</summary>
    public static string? Problem(DateTime asOf, TimeSpan labelWindow, DateTime now) =>
        asOf + labelWindow > now
            ? string.Create(CultureInfo.InvariantCulture, $"{asOf:O} plus the {labelWindow.TotalDays:0}-day label window ends after now ({now:O}); the labels would be incomplete")
            : null;

    /// <summary>
    /// One row per customer with at least one event at or before <paramref name="asOf"/>, in customer
    /// key order. Events are deduplicated by id (the export is at-least-once) and replayed in the
    /// order they occurred.
    /// </summary>
    public static IEnumerable<IEnumerable<string>> Rows(IEnumerable<ExportedEvent> events, IReadOnlyList<FeatureSpec> features, DateTime asOf, TimeSpan labelWindow)
    {
        var labelEnd = asOf + labelWindow;
        var customers = events
            .Where(e => e.CustomerKey.Length > 0)
            .GroupBy(e => e.CustomerKey, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var customer in customers)
        {
            var state = new CustomerState();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var known = false;
            double revenue = 0;
            var purchased = false;
            foreach (var exported in customer.OrderBy(e => e.Event.OccurredAt).ThenBy(e => e.AppliedAt))
            {
                var e = exported.Event;
                if (!seen.Add(e.EventId))
                {
                    continue;
                }

                if (e.OccurredAt <= asOf)
                {
                    CustomerEvents.Apply(state, e);
                    known = true;
                }
                else if (e.Type == CustomerEventType.Purchase && e.OccurredAt <= labelEnd)
                {
                    revenue += e.Amount;
                    purchased = true;
                }
            }

            if (known)
            {
                yield return [customer.Key, asOf.ToString("O", CultureInfo.InvariantCulture), .. TrainingRows.Values(state, features, asOf, null),
                    Math.Round(revenue, 2).ToString("R", CultureInfo.InvariantCulture), purchased ? "1" : "0"];
            }
        }
    }
}
