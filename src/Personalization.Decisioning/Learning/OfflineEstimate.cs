namespace Personalization.Decisioning.Learning;

/// <summary>
/// What a candidate policy would have earned on logged decisions: its acceptance rate estimated by
/// inverse propensity scoring and by the doubly robust estimator, each with a 95% interval, beside the
/// logging policy's own observed rate; <see cref="Matched"/> slates where the candidate agrees with the
/// logged choice (the only ones IPS learns from) and the effective sample size of the IPS weights.
/// </summary>
public sealed record OfflineEstimate(
    long Examples,
    long Matched,
    double EffectiveSize,
    double Logged,
    double LoggedLow,
    double LoggedHigh,
    double Ips,
    double IpsLow,
    double IpsHigh,
    double DoublyRobust,
    double DoublyRobustLow,
    double DoublyRobustHigh);
