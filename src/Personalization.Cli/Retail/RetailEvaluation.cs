using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Products;
using Personalization.Decisioning.Recommendations;

namespace Personalization.Cli.Retail;

/// <summary>
/// The offline evaluation on a time split: the purchases before the cutoff go through the service's
/// own pure code (<see cref="CustomerEvents"/> builds each customer's interests,
/// <see cref="ItemStatistics"/> the item graph), then every customer who bought before and buys
/// something new after the cutoff gets <see cref="Recommender.Recommend"/>'s top K at the cutoff,
/// scored against what they bought after it that they had not bought before. The baseline is the
/// K most popular items (activity before the cutoff), without what the customer already bought.
/// </summary>
public static class RetailEvaluation
{
    /// <summary>Runs the evaluation.</summary>
    public static RetailEvaluationResult Run(IReadOnlyList<RetailLine> lines, DateTime cutoff, int k)
    {
        var train = lines.Where(l => l.At < cutoff).ToList();
        var catalog = new ProductCatalog(1, RetailData.Products(train).ToDictionary(p => p.ProductId, StringComparer.Ordinal));
        var customers = new Dictionary<string, CustomerState>(StringComparer.Ordinal);
        var bought = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var items = new Dictionary<string, ItemNode>(StringComparer.Ordinal);
        foreach (var purchase in RetailEvents.Purchases(train))
        {
            var state = customers.TryGetValue(purchase.CustomerId!, out var known) ? known : customers[purchase.CustomerId!] = new CustomerState();
            CustomerEvents.Apply(state, purchase);
            foreach (var signal in ItemStatistics.SignalsFor(state.Interests, purchase))
            {
                ItemStatistics.Observe(items, signal);
            }

            var set = bought.TryGetValue(purchase.CustomerId!, out var s) ? s : bought[purchase.CustomerId!] = new HashSet<string>(StringComparer.Ordinal);
            set.UnionWith(purchase.Items!.Select(i => i.ProductId));
        }

        var graph = ItemGraph.Of(1, items, cutoff);
        double hits = 0, ndcg = 0, popularHits = 0, popularNdcg = 0;
        var evaluated = 0;
        foreach (var future in lines.Where(l => l.At >= cutoff).GroupBy(l => l.CustomerId, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (!customers.TryGetValue(future.Key, out var state))
            {
                continue;
            }

            var relevant = future.Select(l => l.StockCode).Where(p => !bought[future.Key].Contains(p)).ToHashSet(StringComparer.Ordinal);
            if (relevant.Count == 0)
            {
                continue;
            }

            var recommended = Recommender.Recommend(new RecommendationQuery(k), state.Interests, catalog, graph, cutoff).Select(r => r.Product.ProductId).ToList();
            var excluded = (state.Interests?.Purchased ?? []).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
            var popular = graph.Popular.Where(p => !excluded.Contains(p)).Take(k).ToList();
            hits += RankingMetrics.Hit(recommended, relevant, k);
            ndcg += RankingMetrics.Ndcg(recommended, relevant, k);
            popularHits += RankingMetrics.Hit(popular, relevant, k);
            popularNdcg += RankingMetrics.Ndcg(popular, relevant, k);
            evaluated++;
        }

        var n = Math.Max(1, evaluated);
        return new RetailEvaluationResult(train.Count, lines.Count - train.Count, catalog.Products.Count, customers.Count, evaluated, k, hits / n, ndcg / n, popularHits / n, popularNdcg / n);
    }
}
