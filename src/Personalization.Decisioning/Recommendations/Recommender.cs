using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Products;
using Personalization.Decisioning.Rules;

namespace Personalization.Decisioning.Recommendations;

/// <summary>
/// Chooses K products for one customer or visitor, in tiers so the list is always full:
/// <list type="number">
/// <item>the item graph: neighbours of the product in view (weighted <see cref="ContextWeight"/>),
/// of the latest views and of the purchases, each link's weight divided by the square root of the
/// seed's activity (so one best seller among a customer's items does not drown the others); scores in (1, 2];</item>
/// <item>the customer's strongest categories (decayed affinities, plus the categories of what they
/// viewed and bought): their most popular items; scores in (0.5, 1];</item>
/// <item>trending items (decayed recent activity); scores in (0.25, 0.5];</item>
/// <item>popular items (all-time activity); scores in (0, 0.25];</item>
/// <item>any other recommendable catalog product, by id; score 0.</item>
/// </list>
/// Bought items, the product in view, the caller's exclusions (earlier pages), unavailable and
/// archived products and products failing the filter never appear; boosts multiply the scores of
/// the items they match before the final order. Deterministic and free of I/O.
/// </summary>
public static class Recommender
{

    /// <summary>How much the product in view weighs against one recent view.</summary>
    public const double ContextWeight = 3;

    /// <summary>Latest views used as seeds.</summary>
    public const int ViewSeeds = 10;

    /// <summary>Purchases used as seeds: every one kept (measured on the retail split: all of them, undecayed, beat the latest 20 decaying).</summary>
    public const int PurchaseSeeds = CustomerInterests.PurchasedKept;

    /// <summary>How much a purchase weighs as a seed against a view.</summary>
    public const double PurchaseSeedWeight = 0.6;

    /// <summary>How much a viewed-together link weighs against a bought-together one.</summary>
    public const double ViewedWithFactor = 0.5;

    /// <summary>Strongest categories whose popular items are candidates.</summary>
    public const int CategoriesUsed = 3;

    /// <summary>How many recommended products a campaign or journey message's content sees as <c>items</c>.</summary>
    public const int DeliveryCount = 10;

    /// <summary>
    /// The recommended products for a message (a campaign or journey delivery: no placement, no product in
    /// view): <see cref="DeliveryCount"/> items for the placement "", as <see cref="ForPlacements"/> answers.
    /// </summary>
    public static IReadOnlyList<PlacementItems> ForDelivery(CustomerInterests? interests, ProductCatalog catalog, ItemGraph graph, DateTime now) =>
        ForPlacements([""], new RecommendationQuery(DeliveryCount), interests, catalog, graph, now);

    /// <summary>Recommends up to <see cref="RecommendationQuery.Count"/> items (fewer only when the catalog has fewer that qualify).</summary>
    public static List<RecommendedItem> Recommend(RecommendationQuery query, CustomerInterests? interests, ProductCatalog catalog, ItemGraph graph, DateTime now)
    {
        var filter = query.Filter.Length == 0 ? null : RuleLanguage.Compile(query.Filter);
        var excluded = new HashSet<string>(query.Exclude ?? [], StringComparer.Ordinal);
        if (query.ProductId is { Length: > 0 } inView)
        {
            excluded.Add(inView);
        }

        foreach (var bought in interests?.Purchased ?? [])
        {
            excluded.Add(bought.Id);
        }

        // Sized for the tiers' usual yield up front: growing it was 40% of a recommendation's time in the items harness's profile.
        var candidates = new Dictionary<string, (Product Product, double Score, string Reason)>(CandidateCapacity(query.Count), StringComparer.Ordinal);
        Product? Eligible(string productId) =>
            !excluded.Contains(productId) && !candidates.ContainsKey(productId) && catalog.Find(productId) is { IsRecommendable: true } product
            && (filter is null || ItemRules.Matches(filter, product, now)) ? product : null;

        Graph(query, interests, graph, candidates, Eligible);
        Categories(query.Count, interests, catalog, graph, now, candidates, Eligible);
        Fill(graph.Trending, 2 * query.Count, 0.25, 0.25, "trending", graph, candidates, Eligible);
        Fill(graph.Popular, 2 * query.Count, 0, 0.25, "popular", graph, candidates, Eligible);
        foreach (var productId in catalog.Products.Keys.Order(StringComparer.Ordinal))
        {
            if (candidates.Count >= query.Count)
            {
                break;
            }

            if (Eligible(productId) is { } product)
            {
                candidates[productId] = (product, 0, "catalog");
            }
        }

        var boosts = query.Boosts is { Count: > 0 } asked ? asked.Select(b => (Rule: RuleLanguage.Compile(b.Rule), b.Weight)).ToList() : null;
        return Best(candidates.Values.Select(c => new RecommendedItem(c.Product, Boosted(c.Score, c.Product, boosts, now), c.Reason)), query.Count);
    }

    /// <summary>
    /// The <paramref name="count"/> best items, highest score first and by product id among equal scores: a bounded heap
    /// over the candidates, not a sort of all of them (the whole sort was a third of a recommendation's time in the items
    /// harness's profile, with hundreds of graph candidates for ten places).
    /// </summary>
    public static List<RecommendedItem> Best(IEnumerable<RecommendedItem> items, int count)
    {
        if (count <= 0)
        {
            return [];
        }

        // The root is the worst item kept: the first one out when a better one comes.
        var kept = new PriorityQueue<RecommendedItem, RecommendedItem>(count + 1, WorstFirst.Instance);
        foreach (var item in items)
        {
            if (kept.Count < count)
            {
                kept.Enqueue(item, item);
            }
            else if (WorstFirst.Instance.Compare(item, kept.Peek()) > 0)
            {
                kept.DequeueEnqueue(item, item);
            }
        }

        var best = new RecommendedItem[kept.Count];
        for (var i = best.Length - 1; i >= 0; i--)
        {
            best[i] = kept.Dequeue();
        }

        return [.. best];
    }

    private static int CandidateCapacity(int count) => Math.Max(64, 6 * count);

    private static double Boosted(double score, Product product, List<(CompiledRule Rule, double Weight)>? boosts, DateTime now)
    {
        if (boosts is null)
        {
            return score;
        }

        foreach (var (rule, weight) in boosts)
        {
            if (ItemRules.Matches(rule, product, now))
            {
                score *= weight;
            }
        }

        return score;
    }

    /// <summary>Orders items worst first: lower score, then (equal scores) the later product id.</summary>
    private sealed class WorstFirst : IComparer<RecommendedItem>
    {
        public static readonly WorstFirst Instance = new();

        public int Compare(RecommendedItem? x, RecommendedItem? y)
        {
            var byScore = x!.Score.CompareTo(y!.Score);
            return byScore != 0 ? byScore : string.CompareOrdinal(y.Product.ProductId, x.Product.ProductId);
        }
    }

    /// <summary>
    /// Items for several placements of one page (issue 18: <c>Decide</c> with items): each placement gets up to
    /// <see cref="RecommendationQuery.Count"/> items from <see cref="Recommend"/>, in the order given, never an item an
    /// earlier placement got. The answer lists the placements in the order asked.
    /// </summary>
    public static List<PlacementItems> ForPlacements(IReadOnlyList<string> placements, RecommendationQuery query, CustomerInterests? interests, ProductCatalog catalog, ItemGraph graph, DateTime now)
    {
        var given = new HashSet<string>(query.Exclude ?? [], StringComparer.Ordinal);
        var answer = new List<PlacementItems>(placements.Count);
        foreach (var placement in placements)
        {
            var items = Recommend(query with { Exclude = given }, interests, catalog, graph, now);
            given.UnionWith(items.Select(i => i.Product.ProductId));
            answer.Add(new PlacementItems(placement, items));
        }

        return answer;
    }

    private static void Graph(RecommendationQuery query, CustomerInterests? interests, ItemGraph graph, Dictionary<string, (Product, double, string)> candidates, Func<string, Product?> eligible)
    {
        var scores = new Dictionary<string, (double Score, double Best, string Reason)>(CandidateCapacity(query.Count), StringComparer.Ordinal);
        void Spread(string seed, double weight)
        {
            if (!graph.Items.TryGetValue(seed, out var node))
            {
                return;
            }

            Links(node.Bought, 1, "bought-with:");
            Links(node.Viewed, ViewedWithFactor, "viewed-with:");

            void Links(Neighbour[] neighbours, double factor, string reason)
            {
                foreach (var n in neighbours)
                {
                    var part = weight * factor * n.Weight / Math.Sqrt(node.Activity + 1);
                    var current = scores.GetValueOrDefault(n.ProductId);
                    scores[n.ProductId] = part > current.Best ? (current.Score + part, part, reason + seed) : (current.Score + part, current.Best, current.Reason);
                }
            }
        }

        if (query.ProductId is { Length: > 0 } inView)
        {
            Spread(inView, ContextWeight);
        }

        var views = interests?.RecentViews ?? [];
        for (var i = 0; i < Math.Min(ViewSeeds, views.Length); i++)
        {
            Spread(views[^(i + 1)].Id, Math.Pow(0.85, i));
        }

        var purchases = interests?.Purchased ?? [];
        for (var i = 0; i < Math.Min(PurchaseSeeds, purchases.Length); i++)
        {
            Spread(purchases[^(i + 1)].Id, PurchaseSeedWeight);
        }

        var max = scores.Count == 0 ? 0 : scores.Values.Max(s => s.Score);
        foreach (var (productId, (score, _, reason)) in scores)
        {
            if (max > 0 && eligible(productId) is { } product)
            {
                candidates[productId] = (product, 1 + (score / max), reason);
            }
        }
    }

    private static void Categories(int count, CustomerInterests? interests, ProductCatalog catalog, ItemGraph graph, DateTime now, Dictionary<string, (Product, double, string)> candidates, Func<string, Product?> eligible)
    {
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (category, score) in InterestUpdates.Ranked(interests, now))
        {
            weights[category] = score;
        }

        // What they viewed and bought says which categories they like even without category events.
        foreach (var mark in (interests?.RecentViews ?? []).Concat(interests?.Purchased ?? []))
        {
            if (catalog.Find(mark.Id) is { Category.Length: > 0 } product)
            {
                weights[product.Category] = weights.GetValueOrDefault(product.Category) + 0.5;
            }
        }

        if (weights.Count == 0)
        {
            return;
        }

        var top = weights.OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal).Take(CategoriesUsed).ToList();
        var strongest = top[0].Value;
        foreach (var (category, weight) in top)
        {
            var found = 0;
            var mostActive = 0.0;
            foreach (var productId in graph.Popular)
            {
                if (found >= count)
                {
                    break;
                }

                if (catalog.Find(productId)?.Category != category || eligible(productId) is not { } product)
                {
                    continue;
                }

                var activity = graph.Items[productId].Activity;
                mostActive = Math.Max(mostActive, activity);
                candidates[productId] = (product, 0.5 + (0.5 * weight / strongest * activity / mostActive), $"category:{category}");
                found++;
            }
        }
    }

    private static void Fill(IReadOnlyList<string> ranked, int upTo, double floor, double span, string reason, ItemGraph graph, Dictionary<string, (Product, double, string)> candidates, Func<string, Product?> eligible)
    {
        for (var rank = 0; rank < ranked.Count && candidates.Count < upTo; rank++)
        {
            if (eligible(ranked[rank]) is { } product)
            {
                // Rank, not raw counts, so the tier's scores stay inside its band whatever the traffic.
                candidates[ranked[rank]] = (product, floor + (span * (1 - ((double)rank / ranked.Count))), reason);
            }
        }
    }
}
