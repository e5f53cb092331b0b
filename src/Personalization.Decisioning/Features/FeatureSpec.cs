using System.Text.Json.Serialization;

namespace Personalization.Decisioning.Features;

/// <summary>One feature a model reads, by name and type.</summary>
public sealed record FeatureSpec(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("type")] FeatureType Type);
