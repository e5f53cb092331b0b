using Personalization.Decisioning.Journeys;

namespace Personalization.Contracts.Journeys;

/// <summary>A journey as its owner sees it: the current version's definition, the status, when it last changed.</summary>
[GenerateSerializer, Immutable]
public sealed record JourneyView(
    [property: Id(0)] JourneyDefinition Definition,
    [property: Id(1)] JourneyStatus Status,
    [property: Id(2)] DateTime UpdatedAt);
