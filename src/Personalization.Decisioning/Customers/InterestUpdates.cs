using Personalization.Decisioning.Products;

namespace Personalization.Decisioning.Customers;

/// <summary>
/// How events change a customer's <see cref="CustomerInterests"/> (called from
/// <see cref="CustomerEvents.Apply"/>): a product view or cart add marks the product viewed and, when
/// the event names a category, adds to that category's affinity; a search keeps its term; a
/// purchase marks its lines bought. Event times order everything, so a late event lands where it
/// belongs. Deterministic and free of I/O.
/// </summary>
public static class InterestUpdates
{
    /// <summary>What a view adds to its category's affinity.</summary>
    public const double ViewWeight = 1;

    /// <summary>What adding to the cart adds to its category's affinity.</summary>
    public const double CartWeight = 2;

    /// <summary>Longest search term kept; longer ones are cut.</summary>
    public const int MaxSearchLength = 100;

    /// <summary>Applies one validated event; creates the interests on the first event that has any.</summary>
    public static void Apply(CustomerState state, CustomerEvent e)
    {
        switch (e.Type)
        {
            case CustomerEventType.ProductView when e.ProductId is { Length: > 0 } || e.Category is { Length: > 0 }:
                var viewed = state.Interests ??= new CustomerInterests();
                if (e.ProductId is { Length: > 0 } productId)
                {
                    viewed.RecentViews = Mark(viewed.RecentViews, productId, e.OccurredAt, CustomerInterests.RecentViewsKept);
                }

                AddAffinity(viewed, e.Category, ViewWeight, e.OccurredAt);
                break;
            case CustomerEventType.AddToCart when e.Items is [var item]:
                var carted = state.Interests ??= new CustomerInterests();
                carted.RecentViews = Mark(carted.RecentViews, item.ProductId, e.OccurredAt, CustomerInterests.RecentViewsKept);
                AddAffinity(carted, e.Category, CartWeight, e.OccurredAt);
                break;
            case CustomerEventType.Search when e.Query?.Trim().ToLowerInvariant() is { Length: > 0 } query:
                var searched = state.Interests ??= new CustomerInterests();
                searched.Searches = Mark(searched.Searches, query.Length <= MaxSearchLength ? query : query[..MaxSearchLength], e.OccurredAt, CustomerInterests.SearchesKept);
                break;
            case CustomerEventType.Purchase when e.Items is { Count: > 0 } lines:
                var bought = state.Interests ??= new CustomerInterests();
                foreach (var line in lines)
                {
                    bought.Purchased = Mark(bought.Purchased, line.ProductId, e.OccurredAt, CustomerInterests.PurchasedKept);
                }

                break;
        }
    }

    /// <summary>Merges an anonymous visitor's interests into a known customer's (identify): marks and affinities combine.</summary>
    public static void Merge(CustomerState target, CustomerState source)
    {
        if (source.Interests is not { } from)
        {
            return;
        }

        var into = target.Interests ??= new CustomerInterests();
        foreach (var view in from.RecentViews)
        {
            into.RecentViews = Mark(into.RecentViews, view.Id, view.At, CustomerInterests.RecentViewsKept);
        }

        foreach (var purchase in from.Purchased)
        {
            into.Purchased = Mark(into.Purchased, purchase.Id, purchase.At, CustomerInterests.PurchasedKept);
        }

        foreach (var search in from.Searches)
        {
            into.Searches = Mark(into.Searches, search.Id, search.At, CustomerInterests.SearchesKept);
        }

        foreach (var affinity in from.Categories)
        {
            AddAffinity(into, affinity.Category, affinity.Score, affinity.At);
        }
    }

    /// <summary>An affinity's score decayed (or, for a later entry, grown back) to <paramref name="now"/>.</summary>
    public static double Affinity(CategoryAffinity affinity, DateTime now) =>
        affinity.Score * Math.Pow(2, -(now - affinity.At).TotalDays / CustomerInterests.HalfLifeDays);

    /// <summary>The customer's affinity for <paramref name="category"/> at <paramref name="now"/>; 0 when none.</summary>
    public static double Affinity(CustomerInterests? interests, string category, DateTime now)
    {
        foreach (var affinity in interests?.Categories ?? [])
        {
            if (affinity.Category == category)
            {
                return Affinity(affinity, now);
            }
        }

        return 0;
    }

    /// <summary>The categories by affinity at <paramref name="now"/>, strongest first.</summary>
    public static List<(string Category, double Score)> Ranked(CustomerInterests? interests, DateTime now) =>
        [.. (interests?.Categories ?? []).Select(a => (a.Category, Score: Affinity(a, now))).OrderByDescending(a => a.Score).ThenBy(a => a.Category, StringComparer.Ordinal)];

    /// <summary>Whether the customer bought <paramref name="productId"/> (among the purchases kept).</summary>
    public static bool Bought(CustomerInterests? interests, string productId) =>
        interests is not null && Array.FindIndex(interests.Purchased, p => p.Id == productId) >= 0;

    private static void AddAffinity(CustomerInterests interests, string? rawCategory, double weight, DateTime at)
    {
        if (string.IsNullOrWhiteSpace(rawCategory) || ProductRules.Slug(rawCategory) is not { Length: > 0 } category)
        {
            return;
        }

        var categories = interests.Categories;
        var index = Array.FindIndex(categories, c => c.Category == category);
        if (index >= 0)
        {
            // Kept as of the later of the two times, so the sum decays from there.
            var current = categories[index];
            var latest = at > current.At ? at : current.At;
            var score = Affinity(current, latest) + Affinity(new CategoryAffinity(category, weight, at), latest);
            categories = (CategoryAffinity[])categories.Clone();
            categories[index] = new CategoryAffinity(category, score, latest);
        }
        else
        {
            categories = [.. categories, new CategoryAffinity(category, weight, at)];
            if (categories.Length > CustomerInterests.CategoriesKept)
            {
                var now = categories.Max(c => c.At);
                var weakest = categories.Select((c, i) => (Score: Affinity(c, now), i)).MinBy(c => c.Score).i;
                categories = [.. categories.Where((_, i) => i != weakest)];
            }
        }

        interests.Categories = categories;
    }

    // Distinct ids ordered by time, oldest first; a repeat moves to its latest time; full, the oldest goes.
    private static ProductMark[] Mark(ProductMark[] marks, string id, DateTime at, int kept)
    {
        var existing = Array.FindIndex(marks, m => m.Id == id);
        if (existing >= 0 && marks[existing].At >= at)
        {
            return marks;
        }

        var list = new List<ProductMark>(marks.Length + 1);
        list.AddRange(existing >= 0 ? marks.Where((_, i) => i != existing) : marks);
        var position = list.FindLastIndex(m => m.At <= at) + 1;
        list.Insert(position, new ProductMark(id, at));
        if (list.Count > kept)
        {
            list.RemoveRange(0, list.Count - kept);
        }

        return [.. list];
    }
}
