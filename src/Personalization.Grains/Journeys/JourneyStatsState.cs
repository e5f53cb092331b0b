using Personalization.Decisioning.Journeys;

namespace Personalization.Grains.Journeys;

/// <summary>A journey's stored running totals, by counter, step and label.</summary>
[GenerateSerializer]
public sealed class JourneyStatsState
{
    [Id(0)] public Dictionary<JourneyCount, long> Totals { get; set; } = [];
}
