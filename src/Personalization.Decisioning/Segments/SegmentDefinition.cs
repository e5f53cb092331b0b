using Orleans;

namespace Personalization.Decisioning.Segments;

/// <summary>A named rule over customer state. The generation changes whenever the rule does, so stale memberships are recognised.</summary>
[GenerateSerializer]
public sealed record SegmentDefinition
{
    /// <summary>Unique name: lower-case letters, digits and hyphens.</summary>
    [Id(0)] public string Name { get; init; } = "";

    [Id(1)] public string Description { get; init; } = "";

    /// <summary>The rule in the rule language.</summary>
    [Id(2)] public string Rule { get; init; } = "";

    /// <summary>The registry version at which the rule was last set; a membership from another generation is stale.</summary>
    [Id(3)] public long Generation { get; init; }

    [Id(4)] public DateTime CreatedAt { get; init; }

    [Id(5)] public DateTime UpdatedAt { get; init; }

    /// <summary>True while a backfill of this generation runs over all known customers.</summary>
    [Id(6)] public bool Backfilling { get; init; }

    /// <summary>Backfill progress, 0..1.</summary>
    [Id(7)] public double BackfillProgress { get; init; }
}
