namespace Personalization.Contracts.Models;

/// <summary>What every silo should serve for one kind: the champion and an optional challenger with its share.</summary>
[GenerateSerializer, Immutable]
public sealed record ServingKind(
    [property: Id(0)] string? Champion,
    [property: Id(1)] string? ChampionSha256,
    [property: Id(2)] string? Challenger,
    [property: Id(3)] string? ChallengerSha256,
    [property: Id(4)] double ChallengerShare);

/// <summary>What every silo should serve, at a registry version.</summary>
[GenerateSerializer, Immutable]
public sealed record ServingModels([property: Id(0)] long Version, [property: Id(1)] IReadOnlyDictionary<string, ServingKind> Kinds);

/// <summary>Live counts of one model version: decisions it scored, outcomes reported on them, conversions (clicks or purchases).</summary>
[GenerateSerializer, Immutable]
public sealed record ArmCount(
    [property: Id(0)] string Kind,
    [property: Id(1)] string Version,
    [property: Id(2)] long Decisions,
    [property: Id(3)] long Outcomes,
    [property: Id(4)] long Conversions);
