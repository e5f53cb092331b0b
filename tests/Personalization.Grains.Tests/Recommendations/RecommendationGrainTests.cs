using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Offers;
using Personalization.Contracts.Products;
using Personalization.Contracts.Recommendations;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Products;
using Personalization.Decisioning.Recommendations;
using Personalization.Grains.Recommendations;

namespace Personalization.Grains.Tests.Recommendations;

/// <summary>The product catalog, the shared item statistics and the recommender worker on a two-silo cluster.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RecommendationGrainTests(ClusterFixture fixture)
{
    private static readonly DateTime T0 = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    private IProductCatalogGrain Catalog => Grains.GetGrain<IProductCatalogGrain>(IProductCatalogGrain.DefaultKey);

    private IItemStatsGrain Stats => Grains.GetGrain<IItemStatsGrain>(IItemStatsGrain.DefaultKey);

    // Each test has its own category (the catalog and statistics are shared by the cluster).
    private static (string Category, Product[] Products) Shop(params string[] names)
    {
        var category = $"t{Guid.NewGuid():N}"[..20];
        return (category, [.. names.Select(n => new Product { ProductId = $"{category}-{n}", Name = n, Category = category, Price = 1 })]);
    }

    private static CustomerEvent View(string customer, string product, int minute) => new()
    {
        EventId = Guid.NewGuid().ToString("N"),
        CustomerId = customer,
        Type = CustomerEventType.ProductView,
        OccurredAt = T0.AddMinutes(minute),
        ProductId = product,
    };

    private async Task<ItemGraph> GraphWithAsync(string productId)
    {
        // Observe is one-way: wait (bounded) until the statistics show it.
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (await Stats.Snapshot(-1) is { } graph && graph.Items.ContainsKey(productId))
            {
                return graph;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the statistics never showed {productId}");
    }

    [Fact]
    public async Task UpsertedProductsReadBackAndArchiveKeepsThem()
    {
        var (category, products) = Shop("a", "b");

        var created = await Catalog.Upsert(products);
        var again = await Catalog.Upsert([products[0] with { Price = 2 }]);
        var archived = await Catalog.Archive(products[1].ProductId);
        var page = await Catalog.List(10, null, includeArchived: false, category);

        Assert.Equal((2, 0), (created, again));
        Assert.Equal(2, (await Catalog.Get(products[0].ProductId)).Product!.Price);
        Assert.Equal(ProductStatus.Archived, archived.Product!.Status);
        Assert.Equal([products[0].ProductId], page.Products.Select(p => p.ProductId));
        Assert.Equal(CatalogStatus.NotFound, (await Catalog.Archive($"{category}-missing")).Status);
    }

    [Fact]
    public async Task TheCatalogSnapshotIsNullWhileCurrentAndNewAfterAChange()
    {
        var (_, products) = Shop("a");
        var before = (await Catalog.Snapshot(-1))!;

        Assert.Null(await Catalog.Snapshot(before.Version));
        await Catalog.Upsert(products);

        var after = (await Catalog.Snapshot(before.Version))!;
        Assert.True(after.Version > before.Version);
        Assert.NotNull(after.Find(products[0].ProductId));
    }

    [Fact]
    public async Task ACustomersPurchaseLinksItsLinesInTheSharedStatistics()
    {
        var (_, products) = Shop("a", "b");
        var customer = $"c-{Guid.NewGuid():N}";
        var order = new CustomerEvent
        {
            EventId = Guid.NewGuid().ToString("N"),
            CustomerId = customer,
            Type = CustomerEventType.Purchase,
            OccurredAt = T0,
            Amount = 2,
            Currency = "GBP",
            Items = [new LineItem(products[0].ProductId, 1, 1), new LineItem(products[1].ProductId, 1, 1)],
        };

        await Grains.GetGrain<ICustomerGrain>(customer).Track([order]);
        var graph = await GraphWithAsync(products[1].ProductId);

        Assert.Equal(products[1].ProductId, Assert.Single(graph.Items[products[0].ProductId].Bought).ProductId);
        Assert.True(InterestUpdates.Bought(await Grains.GetGrain<ICustomerGrain>(customer).GetInterests(), products[0].ProductId));
    }

    [Fact]
    public async Task ManyCustomersViewsReachTheStatisticsInAFewBatchedCallsNotOnePerEvent()
    {
        var (_, products) = Shop("hot");
        var batchers = fixture.Cluster.Silos.Cast<InProcessSiloHandle>().Select(s => s.SiloHost.Services.GetRequiredService<ItemSignals>()).ToList();
        var callsBefore = batchers.Sum(b => b.Calls);
        var run = Guid.NewGuid().ToString("N");

        await Task.WhenAll(Enumerable.Range(0, 120).Select(i => Grains.GetGrain<ICustomerGrain>($"hot-{run}-{i}").Track([View($"hot-{run}-{i}", products[0].ProductId, i % 60)])));
        var views = 0L;
        for (var attempt = 0; attempt < 100 && views < 120; attempt++)
        {
            await Task.Delay(50);
            views = await Stats.Snapshot(-1) is { } graph && graph.Items.TryGetValue(products[0].ProductId, out var node) ? node.Views : 0;
        }

        var calls = batchers.Sum(b => b.Calls) - callsBefore;
        Assert.Equal(120, views);
        // One call per silo per flush interval (two silos, a few intervals), not 120.
        Assert.InRange(calls, 1, 12);
        Assert.Equal(0, batchers.Sum(b => b.Dropped));
    }

    [Fact]
    public async Task ANewViewChangesTheCustomersNextRecommendationAtOnce()
    {
        var (category, products) = Shop("lamp", "shade", "bulb", "vase");
        await Catalog.Upsert(products);
        await Stats.Observe([new ItemSignal(ItemSignalKind.Purchase, products[0].ProductId, [products[1].ProductId], T0)]);
        await GraphWithAsync(products[1].ProductId);
        var customer = $"c-{Guid.NewGuid():N}";
        var recommender = Grains.GetGrain<IRecommenderGrain>(0);
        var query = new RecommendationQuery(2, Filter: $"category = '{category}'");
        // The silo caches refresh within a second: ask until the link shows for a customer who viewed the lamp.
        var viewer = $"c-{Guid.NewGuid():N}";
        await Grains.GetGrain<ICustomerGrain>(viewer).Track([View(viewer, products[0].ProductId, 0)]);
        for (var attempt = 0; attempt < 60 && (await recommender.Recommend(viewer, query))[0].Reason.StartsWith("bought-with", StringComparison.Ordinal) is false; attempt++)
        {
            await Task.Delay(50);
        }

        var before = await recommender.Recommend(customer, query);
        await Grains.GetGrain<ICustomerGrain>(customer).Track([View(customer, products[0].ProductId, 1)]);
        var after = await recommender.Recommend(customer, query);

        Assert.NotEqual(products[1].ProductId, before[0].Product.ProductId);
        Assert.Equal(products[1].ProductId, after[0].Product.ProductId);
        Assert.Equal($"bought-with:{products[0].ProductId}", after[0].Reason);
    }

    [Fact]
    public async Task AnAnonymousVisitorGetsAFullList()
    {
        var (category, products) = Shop("a", "b", "c");
        await Catalog.Upsert(products);
        var query = new RecommendationQuery(3, Filter: $"category = '{category}'");

        List<RecommendedItem> items = [];
        for (var attempt = 0; attempt < 60 && items.Count < 3; attempt++)
        {
            items = await Grains.GetGrain<IRecommenderGrain>(0).Recommend(CustomerKeys.Anonymous($"v-{Guid.NewGuid():N}"), query);
            await Task.Delay(items.Count < 3 ? 50 : 0);
        }

        Assert.Equal(3, items.Count);
    }
}
