using Personalization.Decisioning.Recommendations;
using static Personalization.Decisioning.Tests.Recommendations.Catalogs;

namespace Personalization.Decisioning.Tests.Recommendations;

public sealed class RecommenderTests
{
    private static readonly Personalization.Decisioning.Products.ProductCatalog Shop = Of(
        Product("mug-red"), Product("mug-blue"), Product("saucer", "plates"), Product("teapot", "pots", 20),
        Product("lantern", "lights", 12, true, "christmas"), Product("candle", "lights", 3), Product("gone", "mugs", 5, available: false),
        Product("bag", "bags", 2), Product("card", "cards", 1));

    // mug-red goes with saucer; teapot is the best seller; lantern and candle go together.
    private static readonly ItemGraph Sales = Graph(
        [["mug-red", "saucer"], ["mug-red", "saucer"], ["mug-red", "saucer", "gone"], ["teapot"], ["teapot"], ["teapot"], ["teapot", "bag"], ["lantern", "candle"]],
        views: ["card"]);

    private static List<string> Ids(IEnumerable<RecommendedItem> items) => [.. items.Select(i => i.Product.ProductId)];

    [Fact]
    public void AStrangerGetsAFullListOfPopularItems()
    {
        var items = Recommender.Recommend(new RecommendationQuery(5), null, Shop, Sales, T0);

        Assert.Equal(5, items.Count);
        Assert.Equal("teapot", items[0].Product.ProductId);
        Assert.DoesNotContain("gone", Ids(items));
    }

    [Fact]
    public void WithNoStatisticsAtAllTheCatalogStillFillsTheList()
    {
        var items = Recommender.Recommend(new RecommendationQuery(4), null, Shop, ItemGraph.Empty, T0);

        Assert.Equal(["bag", "candle", "card", "lantern"], Ids(items));
        Assert.All(items, i => Assert.Equal("catalog", i.Reason));
    }

    [Fact]
    public void TheProductInViewBringsWhatIsBoughtWithItFirstAndIsNotItselfRecommended()
    {
        var items = Recommender.Recommend(new RecommendationQuery(3, ProductId: "mug-red"), null, Shop, Sales, T0);

        Assert.Equal("saucer", items[0].Product.ProductId);
        Assert.Equal("bought-with:mug-red", items[0].Reason);
        Assert.DoesNotContain("mug-red", Ids(items));
    }

    [Fact]
    public void ARecentViewMakesItsNeighboursComeFirst()
    {
        var before = Recommender.Recommend(new RecommendationQuery(3), Interests(), Shop, Sales, T0);
        var after = Recommender.Recommend(new RecommendationQuery(3), Interests(viewed: ["lantern"]), Shop, Sales, T0);

        Assert.NotEqual(Ids(before), Ids(after));
        Assert.Equal("candle", after[0].Product.ProductId);
    }

    [Fact]
    public void PurchasedItemsAreNeverRecommended()
    {
        var items = Recommender.Recommend(new RecommendationQuery(8), Interests(bought: ["teapot", "saucer"]), Shop, Sales, T0);

        Assert.DoesNotContain("teapot", Ids(items));
        Assert.DoesNotContain("saucer", Ids(items));
    }

    [Fact]
    public void PagingWithTheShownItemsExcludedNeverRepeats()
    {
        var first = Recommender.Recommend(new RecommendationQuery(3), null, Shop, Sales, T0);
        var second = Recommender.Recommend(new RecommendationQuery(3, Exclude: Ids(first)), null, Shop, Sales, T0);

        Assert.Equal(3, second.Count);
        Assert.Empty(Ids(first).Intersect(Ids(second)));
    }

    [Fact]
    public void AFilterKeepsOnlyMatchingItems()
    {
        var items = Recommender.Recommend(new RecommendationQuery(10, Filter: "category = 'lights' or price < 2"), null, Shop, Sales, T0);

        Assert.Equal(["candle", "card", "lantern"], Ids(items).Order());
    }

    [Fact]
    public void ABoostLiftsMatchingItems()
    {
        var plain = Recommender.Recommend(new RecommendationQuery(10), null, Shop, Sales, T0);
        var boosted = Recommender.Recommend(new RecommendationQuery(10, Boosts: [new ItemBoost("tag_christmas", 10)]), null, Shop, Sales, T0);

        Assert.NotEqual("lantern", plain[0].Product.ProductId);
        Assert.Equal("lantern", boosted[0].Product.ProductId);
    }

    [Fact]
    public void CategoriesOfWhatWasBoughtBringTheirPopularItems()
    {
        var items = Recommender.Recommend(new RecommendationQuery(1), Interests(bought: ["candle"]), Shop, Graph([["lantern"], ["lantern"], ["teapot"], ["teapot"], ["teapot"]]), T0);

        Assert.Equal("lantern", items[0].Product.ProductId);
        Assert.Equal("category:lights", items[0].Reason);
    }

    [Fact]
    public void PlacementsOfOnePageGetTheirItemsInOrderWithoutRepeatsOrPurchases()
    {
        var pages = Recommender.ForPlacements(["pdp-below", "cart-items"], new RecommendationQuery(3, ProductId: "mug-red"), Interests(bought: ["teapot"]), Shop, Sales, T0);
        var alone = Recommender.Recommend(new RecommendationQuery(3, ProductId: "mug-red"), Interests(bought: ["teapot"]), Shop, Sales, T0);

        Assert.Equal(["pdp-below", "cart-items"], pages.Select(p => p.Placement));
        Assert.Equal(Ids(alone), Ids(pages[0].Items));
        Assert.Equal("saucer", pages[0].Items[0].Product.ProductId);
        Assert.Equal(3, pages[1].Items.Count);
        Assert.Empty(Ids(pages[0].Items).Intersect(Ids(pages[1].Items)));
        Assert.DoesNotContain(pages.SelectMany(p => p.Items), i => i.Product.ProductId is "teapot" or "mug-red");
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(500, 10)]
    [InlineData(500, 1)]
    [InlineData(7, 20)]
    [InlineData(300, 0)]
    public void BestKeepsTheTopItemsInTheFullSortsOrder(int candidates, int count)
    {
        var random = new Random(candidates * 31 + count);
        // Scores from a small set, so many ties: among equal scores the lower product id comes first.
        var items = Enumerable.Range(0, candidates)
            .Select(i => new RecommendedItem(Product($"p-{random.Next(100_000):D6}-{i}"), random.Next(8) / 4.0, "popular"))
            .ToList();

        var best = Recommender.Best(items, count);

        Assert.Equal(
            Ids(items.OrderByDescending(i => i.Score).ThenBy(i => i.Product.ProductId, StringComparer.Ordinal).Take(count)),
            Ids(best));
    }
}
