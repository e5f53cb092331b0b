using Orleans;

namespace Personalization.Decisioning.Journeys;

/// <summary>One increment of a journey's live results: a counter at a step, with a label (channel, reason) where it has one.</summary>
[GenerateSerializer, Immutable]
public sealed record JourneyCount(
    [property: Id(0)] string JourneyId,
    [property: Id(1)] string Step,
    [property: Id(2)] JourneyCounter Counter,
    [property: Id(3)] string Label);
