using Personalization.Decisioning.Segments;

namespace Personalization.Grains.Segments;

/// <summary>Every segment definition and the registry's version (bumped by every change).</summary>
[GenerateSerializer]
public sealed class SegmentRegistryState
{
    [Id(0)] public Dictionary<string, SegmentDefinition> Segments { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public long Version { get; set; }
}
