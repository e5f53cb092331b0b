using Orleans;

namespace Personalization.Decisioning.Recommendations;

/// <summary>
/// An immutable snapshot of the item statistics recommendations read: every item's node, and item
/// ids ranked by popularity (all time) and by trend (at <see cref="At"/>), built once per snapshot.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ItemGraph(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyDictionary<string, ItemNode> Items,
    [property: Id(2)] IReadOnlyList<string> Popular,
    [property: Id(3)] IReadOnlyList<string> Trending,
    [property: Id(4)] DateTime At)
{
    /// <summary>No statistics yet.</summary>
    public static readonly ItemGraph Empty = new(0, new Dictionary<string, ItemNode>(), [], [], default);

    /// <summary>A snapshot of <paramref name="items"/> at <paramref name="at"/> (the dictionary is copied; nodes are shared).</summary>
    public static ItemGraph Of(long version, IReadOnlyDictionary<string, ItemNode> items, DateTime at) => new(
        version,
        new Dictionary<string, ItemNode>(items, StringComparer.Ordinal),
        [.. items.Where(i => i.Value.Activity > 0).OrderByDescending(i => i.Value.Activity).ThenBy(i => i.Key, StringComparer.Ordinal).Select(i => i.Key)],
        [.. items.Where(i => i.Value.Trend > 0).Select(i => (i.Key, Trend: ItemStatistics.TrendAt(i.Value, at))).OrderByDescending(i => i.Trend).ThenBy(i => i.Key, StringComparer.Ordinal).Select(i => i.Key)],
        at);
}
