using Personalization.Contracts.Models;

namespace Personalization.Grains.Models;

/// <summary>Every model version, the activation history per kind, the splits and the live counts.</summary>
[GenerateSerializer]
public sealed class ModelRegistryState
{
    /// <summary>By <see cref="ModelEntry.KeyOf"/>.</summary>
    [Id(0)] public Dictionary<string, ModelEntry> Entries { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per kind, the versions activated in order; the last is active.</summary>
    [Id(1)] public Dictionary<string, List<string>> History { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per kind, the challenger version and its share.</summary>
    [Id(2)] public Dictionary<string, (string Version, double Share)> Splits { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per version key: decisions, outcomes, conversions.</summary>
    [Id(3)] public Dictionary<string, long[]> Counts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Bumped whenever what silos should serve changes.</summary>
    [Id(4)] public long Version { get; set; }
}
