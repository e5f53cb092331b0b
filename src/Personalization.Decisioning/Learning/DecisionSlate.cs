namespace Personalization.Decisioning.Learning;

/// <summary>
/// One placement of a decision as a learning example: the eligible candidates, the one ranked first
/// (after exploration), its channel, and the probability the policy had of ranking it first — what inverse
/// propensity estimators divide by. Null <see cref="Chosen"/> when no candidate was eligible.
/// </summary>
[Orleans.GenerateSerializer, Orleans.Immutable]
public sealed record DecisionSlate(
    [property: Orleans.Id(0)] string Placement,
    [property: Orleans.Id(1)] IReadOnlyList<SlateCandidate> Candidates,
    [property: Orleans.Id(2)] string? Chosen,
    [property: Orleans.Id(3)] double Propensity,
    [property: Orleans.Id(4)] Customers.Channel Channel = Customers.Channel.Unspecified);
