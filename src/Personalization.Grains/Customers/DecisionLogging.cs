using Microsoft.Extensions.Options;
using Personalization.Contracts.Persistence;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Features;
using Personalization.Decisioning.Learning;
using Personalization.Scoring.Bundles;
using Personalization.Scoring.Scoring;

namespace Personalization.Grains.Customers;

/// <summary>
/// What customer grains hand the silo's decision log: each decision with the customer features it
/// saw (the serving offer models' own and <see cref="DecisionLogOptions.Features"/>) and each outcome.
/// The feature list is worked out once per pair of model versions.
/// </summary>
public sealed class DecisionLogging(IDecisionLog log, IOptions<DecisionLogOptions> options, ScoringService scoring)
{
    private readonly IReadOnlyList<FeatureSpec> _extra = DecisionCapture.Parse(options.Value.Features);
    private FeatureSet? _features;

    /// <summary>Whether decisions are logged (<see cref="DecisionLogOptions.Enabled"/>): without it the engine builds no slates.</summary>
    public bool Enabled => options.Value.Enabled;

    /// <summary>The log itself (for reads and erasure).</summary>
    public IDecisionLog Log => log;

    /// <summary>Logs a decision (not one without slates: holdouts and global control choose nothing).</summary>
    public void Decided(string customerId, string decisionId, CustomerState state, DecisionResult result, string? offerModel, string? churnModel, double churn, DateTime now, PlacementContext? context)
    {
        if (!options.Value.Enabled || DecisionCapture.Of(customerId, decisionId, state, result, Features(), offerModel, churnModel, churn, now, context) is not { } logged)
        {
            return;
        }

        log.Append(logged);
    }

    /// <summary>Logs an outcome joined to a decision.</summary>
    public void Outcome(string customerId, string decisionId, string offerId, Outcome outcome, double value, DateTime at)
    {
        if (options.Value.Enabled)
        {
            log.Append(new LoggedOutcome(customerId, decisionId, offerId, outcome, value, at));
        }
    }

    private IReadOnlyList<FeatureSpec> Features()
    {
        var (champion, challenger) = (scoring.Active(ModelKind.Offer), scoring.Challenger(ModelKind.Offer)?.Model);
        if (Volatile.Read(ref _features) is { } known && known.Champion == champion?.Version && known.Challenger == challenger?.Version)
        {
            return known.Features;
        }

        var features = DecisionCapture.Features([.. champion?.Bundle.Manifest.Features ?? [], .. challenger?.Bundle.Manifest.Features ?? []], _extra);
        Volatile.Write(ref _features, new FeatureSet(champion?.Version, challenger?.Version, features));
        return features;
    }

    private sealed record FeatureSet(string? Champion, string? Challenger, IReadOnlyList<FeatureSpec> Features);
}
