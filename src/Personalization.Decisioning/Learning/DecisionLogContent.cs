namespace Personalization.Decisioning.Learning;

/// <summary>What a stretch of the decision log holds: decisions and outcomes, in the order they were written.</summary>
public sealed record DecisionLogContent(IReadOnlyList<LoggedDecision> Decisions, IReadOnlyList<LoggedOutcome> Outcomes)
{
    /// <summary>Nothing.</summary>
    public static readonly DecisionLogContent Empty = new([], []);
}
