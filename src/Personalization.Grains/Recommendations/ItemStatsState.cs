using Personalization.Decisioning.Recommendations;

namespace Personalization.Grains.Recommendations;

/// <summary>The item statistics' persisted state: a node per item, and a version that grows with every change.</summary>
[GenerateSerializer]
public sealed class ItemStatsState
{
    [Id(0)] public Dictionary<string, ItemNode> Items { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public long Version { get; set; }
}
