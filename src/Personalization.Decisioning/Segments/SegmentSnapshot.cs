using Orleans;

namespace Personalization.Decisioning.Segments;

/// <summary>Every segment at one registry version, in evaluation order (a segment after those it reads with <c>in_segment</c>).</summary>
[GenerateSerializer, Immutable]
public sealed record SegmentSnapshot([property: Id(0)] long Version, [property: Id(1)] IReadOnlyList<SegmentDefinition> Segments)
{
    /// <summary>The snapshot before any segment exists.</summary>
    public static SegmentSnapshot Empty { get; } = new(0, []);
}
