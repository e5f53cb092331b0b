using Personalization.Decisioning.Journeys;

namespace Personalization.Contracts.Journeys;

/// <summary>A journey's running total of one counter at one step (with its label: channel or reason).</summary>
[GenerateSerializer, Immutable]
public sealed record JourneyTotal([property: Id(0)] JourneyCount Key, [property: Id(1)] long Count);
