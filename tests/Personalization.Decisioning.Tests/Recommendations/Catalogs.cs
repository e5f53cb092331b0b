using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Products;
using Personalization.Decisioning.Recommendations;

namespace Personalization.Decisioning.Tests.Recommendations;

/// <summary>Small catalogs and graphs for recommender tests.</summary>
internal static class Catalogs
{
    public static readonly DateTime T0 = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    public static Product Product(string id, string category = "mugs", double price = 5, bool available = true, params string[] tags) =>
        new() { ProductId = id, Name = id.ToUpperInvariant(), Category = category, Price = price, Available = available, Tags = tags };

    public static ProductCatalog Of(params Product[] products) => new(1, products.ToDictionary(p => p.ProductId, StringComparer.Ordinal));

    /// <summary>A graph from orders (each a list of products bought together) and extra views, all at T0.</summary>
    public static ItemGraph Graph(IEnumerable<string[]> orders, IEnumerable<string>? views = null)
    {
        var items = new Dictionary<string, ItemNode>(StringComparer.Ordinal);
        foreach (var order in orders)
        {
            foreach (var product in order)
            {
                ItemStatistics.Observe(items, new ItemSignal(ItemSignalKind.Purchase, product, [.. order.Where(p => p != product)], T0));
            }
        }

        foreach (var view in views ?? [])
        {
            ItemStatistics.Observe(items, new ItemSignal(ItemSignalKind.View, view, [], T0));
        }

        return ItemGraph.Of(1, items, T0);
    }

    public static CustomerInterests Interests(string[]? viewed = null, string[]? bought = null) => new()
    {
        RecentViews = [.. (viewed ?? []).Select((p, i) => new ProductMark(p, T0.AddMinutes(i)))],
        Purchased = [.. (bought ?? []).Select((p, i) => new ProductMark(p, T0.AddMinutes(i)))],
    };
}
