namespace Personalization.Decisioning.Decisions;

/// <summary>
/// A decision: the arm, the ranked actions, why other actions or channels were left out, and per
/// placement the slate it was chosen from with the first action's propensity (for the decision log;
/// callers outside the silo get it without).
/// </summary>
[Orleans.GenerateSerializer, Orleans.Immutable]
public sealed record DecisionResult(
    [property: Orleans.Id(0)] string Arm,
    [property: Orleans.Id(1)] IReadOnlyList<ActionChoice> Actions,
    [property: Orleans.Id(2)] IReadOnlyList<string> Suppressions,
    [property: Orleans.Id(3)] IReadOnlyList<Learning.DecisionSlate>? Slates = null);
