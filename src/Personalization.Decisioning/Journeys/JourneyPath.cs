using Orleans;

namespace Personalization.Decisioning.Journeys;

/// <summary>One path of a split step: its name (an experiment arm's name in the results), its weight, the step it leads to.</summary>
[GenerateSerializer, Immutable]
public sealed record JourneyPath(
    [property: Id(0)] string Name,
    [property: Id(1)] double Weight,
    [property: Id(2)] string Next);
