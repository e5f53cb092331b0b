namespace Personalization.Contracts.Journeys;

/// <summary>A journey registry answer: the journey (when there is one) or why not, the detail naming the field.</summary>
[GenerateSerializer, Immutable]
public sealed record JourneyResult(
    [property: Id(0)] JourneyResultStatus Status,
    [property: Id(1)] JourneyView? Journey,
    [property: Id(2)] string Detail);
