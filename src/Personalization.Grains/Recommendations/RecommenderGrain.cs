using Orleans.Concurrency;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Recommendations;
using Personalization.Decisioning.Recommendations;
using Personalization.Grains.Products;

namespace Personalization.Grains.Recommendations;

/// <summary>Recommends on the local silo: the customer's interests (fresh, so a view changes the next answer at once), the cached catalog and item graph, then the pure <see cref="Recommender"/>.</summary>
[StatelessWorker]
public sealed class RecommenderGrain(ProductCache products, ItemGraphCache graphs, TimeProvider time) : Grain, IRecommenderGrain
{
    public async Task<List<RecommendedItem>> Recommend(string customerKey, RecommendationQuery query)
    {
        var interests = GrainFactory.GetGrain<ICustomerGrain>(customerKey).GetInterests();
        var catalog = await products.GetAsync();
        var graph = await graphs.GetAsync();
        return Recommender.Recommend(query, await interests, catalog, graph, time.GetUtcNow().UtcDateTime);
    }
}
