namespace Personalization.Decisioning.Decisions;

/// <summary>A decision: the arm, the ranked actions, and why other actions or channels were left out.</summary>
[Orleans.GenerateSerializer, Orleans.Immutable]
public sealed record DecisionResult(
    [property: Orleans.Id(0)] string Arm,
    [property: Orleans.Id(1)] IReadOnlyList<ActionChoice> Actions,
    [property: Orleans.Id(2)] IReadOnlyList<string> Suppressions);
