namespace Personalization.Grains.Journeys;

/// <summary>The journey registry's stored state: a version bumped on every change and each journey's versions and status.</summary>
[GenerateSerializer]
public sealed class JourneyRegistryState
{
    [Id(0)] public long Version { get; set; }

    [Id(1)] public Dictionary<string, JourneyRecord> Journeys { get; set; } = new(StringComparer.Ordinal);
}
