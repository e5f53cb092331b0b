using Personalization.Decisioning.Learning;

namespace Personalization.Contracts.Persistence;

/// <summary>
/// The decision log: every decision with the customer features it saw, its slates and propensities,
/// and every outcome, kept durably by day for training rows, offline evaluation and drift — outside
/// grain memory. Appends queue and are written in the background (a decision still touches no storage
/// on its answer path); reads and erasure go to storage.
/// </summary>
public interface IDecisionLog
{
    /// <summary>Queues a decision for the next write.</summary>
    void Append(LoggedDecision decision);

    /// <summary>Queues an outcome for the next write.</summary>
    void Append(LoggedOutcome outcome);

    /// <summary>Writes everything this silo has queued.</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    /// <summary>Everything written on the UTC days from <paramref name="from"/> to <paramref name="to"/>, both included.</summary>
    Task<DecisionLogContent> ReadAsync(DateTime from, DateTime to, CancellationToken cancellationToken);

    /// <summary>Removes every decision and outcome of the customers from the log (every day kept); returns how many entries went.</summary>
    Task<int> EraseAsync(IReadOnlySet<string> customerIds, CancellationToken cancellationToken);

    /// <summary>Decisions this silo has written, and their bytes with the outcomes' (for bytes per decision).</summary>
    (long Decisions, long Outcomes, long Bytes) Written { get; }
}
