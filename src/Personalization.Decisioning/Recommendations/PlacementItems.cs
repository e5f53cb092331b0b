using Orleans;

namespace Personalization.Decisioning.Recommendations;

/// <summary>The recommended items for one placement of a decision, best first.</summary>
/// <param name="Placement">The placement ("" when the request named none).</param>
/// <param name="Items">The items, best first; none repeats an item of another placement of the same decision.</param>
[GenerateSerializer, Immutable]
public sealed record PlacementItems([property: Id(0)] string Placement, [property: Id(1)] IReadOnlyList<RecommendedItem> Items);
