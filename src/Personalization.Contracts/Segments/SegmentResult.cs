using Personalization.Decisioning.Segments;

namespace Personalization.Contracts.Segments;

/// <summary>The outcome of a registry call, the segment as it now stands, and the problems when rejected ("field: reason").</summary>
[GenerateSerializer, Immutable]
public sealed record SegmentResult(
    [property: Id(0)] SegmentResultStatus Status,
    [property: Id(1)] SegmentDefinition? Segment,
    [property: Id(2)] IReadOnlyList<string> Errors);
