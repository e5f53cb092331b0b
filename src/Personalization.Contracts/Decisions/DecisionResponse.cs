using Personalization.Decisioning.Decisions;

namespace Personalization.Contracts.Decisions;

/// <summary>A customer grain's decision, with the scores and versions behind it.</summary>
[GenerateSerializer, Immutable]
public sealed record DecisionResponse
{
    [Id(0)] public string DecisionId { get; init; } = "";

    [Id(1)] public DecisionResult Result { get; init; } = new("champion", [], []);

    [Id(2)] public double Churn { get; init; }

    [Id(3)] public string ChurnModelVersion { get; init; } = "";

    [Id(4)] public string OfferModelVersion { get; init; } = "";

    [Id(5)] public DateTime DecidedAt { get; init; }

    /// <summary>Set when this key is a visitor merged into another customer: decide there.</summary>
    [Id(6)] public string? ForwardTo { get; init; }

    /// <summary>Requested offer ids that are not live in the catalog; nothing was decided.</summary>
    [Id(7)] public IReadOnlyList<string> UnknownOffers { get; init; } = [];

    /// <summary>The recommended items per placement, when the request asked for some (DecisionRequest.ItemCount).</summary>
    [Id(8)] public IReadOnlyList<Decisioning.Recommendations.PlacementItems> Items { get; init; } = [];
}
