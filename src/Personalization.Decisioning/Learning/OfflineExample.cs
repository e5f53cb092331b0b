namespace Personalization.Decisioning.Learning;

/// <summary>
/// One logged slate for offline evaluation: the candidate policy's acceptance score per candidate (in
/// the slate's order), each candidate's arbitration multiplier, which candidate the logging policy
/// ranked first and with what probability, and the reward it earned (1 accepted, 0 not).
/// </summary>
public sealed record OfflineExample(IReadOnlyList<double> Scores, IReadOnlyList<double> Multipliers, int Logged, double Propensity, double Reward);
