using Orleans;

namespace Personalization.Decisioning.Customers;

/// <summary>
/// What a customer is interested in, small and bounded (a few hundred bytes to a few KB): category
/// affinities that decay with time (the strongest <see cref="CategoriesKept"/>), the products viewed
/// most recently, the products bought (for exclusion and as seeds of the item graph) and the latest
/// search terms. Each list is oldest first. Changed only through <see cref="InterestUpdates"/>.
/// </summary>
[GenerateSerializer]
public sealed class CustomerInterests
{
    /// <summary>Category affinities kept; the weakest is dropped when a new one comes.</summary>
    public const int CategoriesKept = 16;

    /// <summary>Recently viewed products kept.</summary>
    public const int RecentViewsKept = 20;

    /// <summary>Purchased products kept (distinct, the most recent).</summary>
    public const int PurchasedKept = 200;

    /// <summary>Recent search terms kept.</summary>
    public const int SearchesKept = 10;

    /// <summary>Days for an affinity to halve without new interest.</summary>
    public const double HalfLifeDays = 30;

    /// <summary>Affinity per category, each as of its own time (decay to now with <see cref="InterestUpdates.Affinity(CategoryAffinity, DateTime)"/>).</summary>
    [Id(0)] public CategoryAffinity[] Categories { get; set; } = [];

    /// <summary>Products viewed, distinct, oldest first.</summary>
    [Id(1)] public ProductMark[] RecentViews { get; set; } = [];

    /// <summary>Products bought, distinct, oldest first.</summary>
    [Id(2)] public ProductMark[] Purchased { get; set; } = [];

    /// <summary>Search terms, distinct (lower-case), oldest first.</summary>
    [Id(3)] public ProductMark[] Searches { get; set; } = [];
}
