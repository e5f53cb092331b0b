namespace Personalization.Decisioning.Measurement;

/// <summary>
/// A comparison adjusted by CUPED: the adjusted difference with its always-valid interval, the plain
/// one for reference, θ, and the share of the difference's variance the covariate removed (0 when it
/// removed none; the interval narrows by √(1 − reduction)).
/// </summary>
public sealed record CupedResult(Difference Adjusted, Difference Unadjusted, double Theta, double VarianceReduction);
