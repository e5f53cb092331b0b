using Personalization.Decisioning.Decisions;

namespace Personalization.Decisioning.Learning;

/// <summary>An outcome as the decision log keeps it: joined to its decision by id and offer when rows are built.</summary>
public sealed record LoggedOutcome(string CustomerId, string DecisionId, string OfferId, Outcome Outcome, double Value, DateTime At);
