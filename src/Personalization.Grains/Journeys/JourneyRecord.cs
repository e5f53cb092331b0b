using Personalization.Decisioning.Journeys;

namespace Personalization.Grains.Journeys;

/// <summary>One journey in the registry: every version (oldest first), its status and when it last changed.</summary>
[GenerateSerializer]
public sealed class JourneyRecord
{
    [Id(0)] public List<JourneyDefinition> Versions { get; set; } = [];

    [Id(1)] public JourneyStatus Status { get; set; }

    [Id(2)] public DateTime UpdatedAt { get; set; }
}
