using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Features;

/// <summary>
/// A customer's interests by name, for rules and model features: <c>affinity_&lt;category&gt;</c> (the
/// decayed affinity; '-' in a category reads as '_'), <c>top_category_affinity</c>,
/// <c>recently_viewed</c>, <c>products_purchased</c> and <c>recent_searches</c> (how many are kept)
/// are numbers; <c>top_category</c>, <c>last_viewed_product</c> and <c>last_search</c> are text.
/// </summary>
public static class InterestFeatures
{
    private const string AffinityPrefix = "affinity_";

    private static readonly Dictionary<string, Func<CustomerInterests?, DateTime, double>> Numbers = new(StringComparer.Ordinal)
    {
        ["top_category_affinity"] = (i, now) => InterestUpdates.Ranked(i, now) is [var top, ..] ? top.Score : 0,
        ["recently_viewed"] = (i, _) => i?.RecentViews.Length ?? 0,
        ["products_purchased"] = (i, _) => i?.Purchased.Length ?? 0,
        ["recent_searches"] = (i, _) => i?.Searches.Length ?? 0,
    };

    /// <summary>Whether <paramref name="name"/> is a numeric interest.</summary>
    public static bool IsNumber(string name) => Numbers.ContainsKey(name) || (name.StartsWith(AffinityPrefix, StringComparison.Ordinal) && name.Length > AffinityPrefix.Length);

    /// <summary>Whether <paramref name="name"/> is a text interest.</summary>
    public static bool IsText(string name) => name is "top_category" or "last_viewed_product" or "last_search";

    /// <summary>A numeric interest at <paramref name="now"/>, or null when <paramref name="name"/> is not one.</summary>
    public static double? Number(CustomerInterests? interests, string name, DateTime now)
    {
        if (Numbers.TryGetValue(name, out var number))
        {
            return number(interests, now);
        }

        if (!IsNumber(name))
        {
            return null;
        }

        var wanted = name[AffinityPrefix.Length..].Replace('-', '_');
        foreach (var affinity in interests?.Categories ?? [])
        {
            if (affinity.Category.Replace('-', '_') == wanted)
            {
                return InterestUpdates.Affinity(affinity, now);
            }
        }

        return 0;
    }

    /// <summary>A text interest, null when <paramref name="name"/> is not one or it has no value yet.</summary>
    public static string? Text(CustomerInterests? interests, string name)
    {
        if (interests is null || !IsText(name))
        {
            return null;
        }

        return name switch
        {
            // Every affinity decays at the same rate, so their order is the same at any moment.
            "top_category" => interests.Categories.Length == 0 ? null : InterestUpdates.Ranked(interests, interests.Categories.Max(c => c.At))[0].Category,
            "last_viewed_product" => interests.RecentViews is [.., var last] ? last.Id : null,
            _ => interests.Searches is [.., var search] ? search.Id : null,
        };
    }
}
