namespace Personalization.Decisioning.Learning;

/// <summary>
/// An offer that competed for a placement: its acceptance score at decision time and the factor
/// arbitration multiplied it by (value × business weight, with the retention boost), so
/// priority = acceptance × <see cref="Multiplier"/> and a candidate model's scores can be ranked the
/// same way offline.
/// </summary>
[Orleans.GenerateSerializer, Orleans.Immutable]
public sealed record SlateCandidate(
    [property: Orleans.Id(0)] string OfferId,
    [property: Orleans.Id(1)] double Acceptance,
    [property: Orleans.Id(2)] double Multiplier);
