using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Recommendations;
using static Personalization.Decisioning.Tests.Recommendations.Catalogs;

namespace Personalization.Decisioning.Tests.Recommendations;

public sealed class ItemStatisticsTests
{
    [Fact]
    public void APurchaseLinksItsLinesBothWays()
    {
        var items = new Dictionary<string, ItemNode>();

        ItemStatistics.Observe(items, new ItemSignal(ItemSignalKind.Purchase, "a", ["b"], T0));

        Assert.Equal([new Neighbour("b", 1)], items["a"].Bought);
        Assert.Equal([new Neighbour("a", 1)], items["b"].Bought);
        Assert.Equal(1, items["a"].Purchases);
        Assert.Equal(0, items["b"].Purchases);
    }

    [Fact]
    public void NeighbourListsStayBoundedAndKeepTheFrequentOnes()
    {
        var items = new Dictionary<string, ItemNode>();
        for (var i = 0; i < 5; i++)
        {
            ItemStatistics.Observe(items, new ItemSignal(ItemSignalKind.View, "a", ["friend"], T0));
        }

        for (var i = 0; i < ItemStatistics.NeighboursKept * 3; i++)
        {
            ItemStatistics.Observe(items, new ItemSignal(ItemSignalKind.View, "a", [$"once-{i}"], T0));
        }

        Assert.Equal(ItemStatistics.NeighboursKept, items["a"].Viewed.Length);
        Assert.Contains(items["a"].Viewed, n => n.ProductId == "friend");
    }

    [Fact]
    public void TrendHalvesEveryHalfLife()
    {
        var items = new Dictionary<string, ItemNode>();

        ItemStatistics.Observe(items, new ItemSignal(ItemSignalKind.View, "a", [], T0));

        Assert.Equal(0.5, ItemStatistics.TrendAt(items["a"], T0.AddDays(ItemStatistics.TrendHalfLifeDays)), 10);
    }

    [Fact]
    public void AViewLinksWithTheCustomersLatestOtherViews()
    {
        var state = new CustomerState();
        var view = new CustomerEvent { EventId = "e2", CustomerId = "c", Type = CustomerEventType.ProductView, OccurredAt = T0.AddMinutes(1), ProductId = "b" };
        CustomerEvents.Apply(state, view with { EventId = "e1", ProductId = "a", OccurredAt = T0 });
        CustomerEvents.Apply(state, view);

        var signal = Assert.Single(ItemStatistics.SignalsFor(state.Interests, view));

        Assert.Equal(new[] { "a" }, signal.CoItems);
        Assert.Equal(ItemSignalKind.View, signal.Kind);
    }

    [Fact]
    public void EachOrderLineLinksWithTheOtherLinesAndEarlierPurchases()
    {
        var state = new CustomerState();
        var order = new CustomerEvent { EventId = "o2", CustomerId = "c", Type = CustomerEventType.Purchase, OccurredAt = T0.AddDays(1), Items = [new LineItem("b", 1, 1), new LineItem("c", 1, 1)] };
        CustomerEvents.Apply(state, order with { EventId = "o1", OccurredAt = T0, Items = [new LineItem("a", 1, 1)] });
        CustomerEvents.Apply(state, order);

        var signals = ItemStatistics.SignalsFor(state.Interests, order);

        Assert.Equal(["b", "c"], signals.Select(s => s.ProductId));
        Assert.Equal(["c", "a"], signals[0].CoItems);
    }

    [Fact]
    public void TheGraphRanksByActivityAndTrend()
    {
        var graph = Graph([["a"], ["b"], ["b"]], views: ["c"]);

        Assert.Equal(["b", "a", "c"], graph.Popular);
        Assert.Equal(["b", "a", "c"], graph.Trending);
    }
}
