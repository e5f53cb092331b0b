using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Decisions;

/// <summary>A validated request for the next best actions.</summary>
/// <param name="Mode">Inbound (now, on the asking channel) or outbound (choose channel and time).</param>
/// <param name="Channels">The asking channel (inbound) or the allowed ones (outbound; empty means any).</param>
/// <param name="MaxActions">How many ranked actions to return, 1..10.</param>
/// <param name="OfferIds">Only these offers; empty means every live offer.</param>
/// <param name="Context">Where the request comes from (placement, page, device…); null means none.</param>
/// <param name="Placements">The placements to fill, each with up to <paramref name="MaxActions"/> actions and never
/// the same offer twice in one decision; empty means one fill for <see cref="PlacementContext.Placement"/>.</param>
/// <param name="ItemCount">How many recommended products to add per placement (0 for none); the content's <c>items</c>.</param>
/// <param name="ItemFilter">An item rule every recommended product must match (<see cref="Recommendations.ItemRules"/>); empty for none.</param>
/// <param name="ItemBoosts">Item rules with the factor that multiplies a matching product's score.</param>
/// <param name="ItemsShown">Products shown earlier in the session (its item page token): not recommended again.</param>
[Orleans.GenerateSerializer, Orleans.Immutable]
public sealed record DecisionRequest(
    [property: Orleans.Id(0)] DecisionMode Mode,
    [property: Orleans.Id(1)] IReadOnlyList<Channel> Channels,
    [property: Orleans.Id(2)] int MaxActions,
    [property: Orleans.Id(3)] IReadOnlyList<string> OfferIds,
    [property: Orleans.Id(4)] PlacementContext? Context = null,
    [property: Orleans.Id(5)] IReadOnlyList<string>? Placements = null,
    [property: Orleans.Id(6)] int ItemCount = 0,
    [property: Orleans.Id(7)] string ItemFilter = "",
    [property: Orleans.Id(8)] IReadOnlyList<Recommendations.ItemBoost>? ItemBoosts = null,
    [property: Orleans.Id(9)] IReadOnlyCollection<string>? ItemsShown = null)
{
    /// <summary>What the recommender is asked for each placement: <see cref="ItemCount"/> items, the product in view, the filter, boosts and the session's shown products.</summary>
    public Recommendations.RecommendationQuery ItemQuery() =>
        new(ItemCount, Context?.ProductId is { Length: > 0 } inView ? inView : null, ItemFilter, ItemBoosts, ItemsShown);
}
