using Personalization.Decisioning.Recommendations;

namespace Personalization.Contracts.Recommendations;

/// <summary>Answers recommendations on the silo that receives the call (a stateless worker): the catalog and item graph come from silo caches, the interests from the customer.</summary>
public interface IRecommenderGrain : IGrainWithIntegerKey
{
    /// <summary>Items for the customer grain <paramref name="customerKey"/> (a customer id or <c>anon:</c> + visitor id).</summary>
    Task<List<RecommendedItem>> Recommend(string customerKey, RecommendationQuery query);
}
