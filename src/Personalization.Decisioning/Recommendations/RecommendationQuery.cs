using Orleans;

namespace Personalization.Decisioning.Recommendations;

/// <summary>What a caller asks of the recommender (validated at the edge).</summary>
/// <param name="Count">How many items (K).</param>
/// <param name="ProductId">The product the visitor is looking at, if any: its neighbours come first and it is never recommended.</param>
/// <param name="Filter">An item rule every item must match (<see cref="ItemRules"/>); empty for none.</param>
/// <param name="Boosts">Item rules with the factor that multiplies the score of a matching item.</param>
/// <param name="Exclude">Products never to answer: already shown on earlier pages of this session, or named by the caller.</param>
[GenerateSerializer, Immutable]
public sealed record RecommendationQuery(
    [property: Id(0)] int Count,
    [property: Id(1)] string? ProductId = null,
    [property: Id(2)] string Filter = "",
    [property: Id(3)] IReadOnlyList<ItemBoost>? Boosts = null,
    [property: Id(4)] IReadOnlyCollection<string>? Exclude = null);
