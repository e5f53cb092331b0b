using System.Globalization;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Features;
using Personalization.Decisioning.Learning;

namespace Personalization.Decisioning.Tests.Learning;

/// <summary>Snapshot rows (clv, purchase-propensity) from exported events: features before the snapshot, labels strictly after it, read back from the export's own JSON Lines.</summary>
public sealed class SnapshotRowsTests
{
    private static readonly DateTime AsOf = new(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly IReadOnlyList<FeatureSpec> Features = [new("purchases", FeatureType.Float), new("revenue", FeatureType.Float), new("country", FeatureType.String)];

    private static ExportedEvent Purchase(string customer, DateTime at, double amount, string? id = null) =>
        new(customer, new CustomerEvent
        {
            EventId = id ?? Guid.NewGuid().ToString("N"),
            CustomerId = customer,
            Type = CustomerEventType.Purchase,
            OccurredAt = at,
            Amount = amount,
            Currency = "GBP",
            OrderId = "o-" + Guid.NewGuid().ToString("N")[..6],
            Items = [new LineItem("p-1", 2, amount / 2)],
        }, DateTime.UtcNow);

    private static ExportedEvent Country(string customer, DateTime at, string country) =>
        new(customer, new CustomerEvent
        {
            EventId = Guid.NewGuid().ToString("N"),
            CustomerId = customer,
            Type = CustomerEventType.TraitsSet,
            OccurredAt = at,
            Traits = new() { ["country"] = TraitValue.Of(country), ["joined"] = TraitValue.Of(new DateTime(2020, 1, 2, 3, 4, 5, DateTimeKind.Utc)), ["vip"] = TraitValue.Of(true), ["score"] = TraitValue.Of(2.5) },
        }, DateTime.UtcNow);

    // The rows as the export's readers see them: through the JSON Lines the export writes.
    private static List<string[]> RowsThroughTheExport(IReadOnlyList<ExportedEvent> events) =>
        [.. SnapshotRows.Rows(EventExportCodec.Decode(EventExportCodec.Encode(events)), Features, AsOf, TimeSpan.FromDays(30)).Select(r => r.ToArray())];

    [Fact]
    public void FeaturesComeFromEventsUpToTheSnapshotAndLabelsFromPurchasesInTheWindowAfterIt()
    {
        var repeated = Purchase("a", AsOf.AddDays(-3), 40, id: "same");
        var rows = RowsThroughTheExport(
        [
            Country("a", AsOf.AddDays(-20), "Norway"),
            Purchase("a", AsOf.AddDays(-10), 100),
            repeated,
            repeated with { AppliedAt = DateTime.UtcNow.AddSeconds(1) },
            Country("a", AsOf.AddDays(2), "France"),
            Purchase("a", AsOf.AddDays(5), 30),
            Purchase("a", AsOf.AddDays(29), 12.5),
            Purchase("a", AsOf.AddDays(31), 999),
            Purchase("b", AsOf.AddDays(-1), 10),
            Purchase("late", AsOf.AddDays(1), 70),
        ]);

        Assert.Equal(["a", "b"], rows.Select(r => r[0]));
        Assert.Equal(["a", AsOf.ToString("O", CultureInfo.InvariantCulture), "2", "140", "Norway", "42.5", "1"], rows[0]);
        Assert.Equal(["b", AsOf.ToString("O", CultureInfo.InvariantCulture), "1", "10", "", "0", "0"], rows[1]);
        Assert.Equal(["customer_id", "snapshot_at", "purchases", "revenue", "country", "future_revenue", "purchased"], SnapshotRows.Header(Features));
    }

    [Fact]
    public void TheExportsLinesReadBackAsTheEventsThatWereWritten()
    {
        var events = new[] { Purchase("a", AsOf, 19.99), Country("b", AsOf.AddHours(1), "Iceland") };

        var read = EventExportCodec.Decode(EventExportCodec.Encode(events));

        Assert.Equal(2, read.Count);
        var (purchase, traits) = (read[0].Event, read[1].Event);
        Assert.Equal(("a", events[0].Event.EventId, CustomerEventType.Purchase, AsOf, 19.99, "GBP", events[0].Event.OrderId),
            (read[0].CustomerKey, purchase.EventId, purchase.Type, purchase.OccurredAt, purchase.Amount, purchase.Currency, purchase.OrderId));
        Assert.Equal(events[0].Event.Items, purchase.Items);
        Assert.Equal(CustomerEventType.TraitsSet, traits.Type);
        Assert.Equal(events[1].Event.Traits, traits.Traits);
        Assert.Equal(events[1].AppliedAt, read[1].AppliedAt, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public void ASnapshotWhoseLabelWindowHasNotEndedIsRefused()
    {
        Assert.Null(SnapshotRows.Problem(AsOf, TimeSpan.FromDays(30), AsOf.AddDays(30)));
        Assert.Contains("label window ends after now", SnapshotRows.Problem(AsOf, TimeSpan.FromDays(30), AsOf.AddDays(29)));
    }
}
