using System.Globalization;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Features;
using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Learning;

/// <summary>
/// Offer training rows from the decision log: one per placement's first action, with the customer
/// features as they were logged at decision time (never rebuilt from today's state), the offer's
/// attributes from the catalog, the propensity and score the decision had, and the outcome reported
/// within the window after the decision. Pure.
/// </summary>
public static class PointInTimeRows
{
    /// <summary>The header: the decision, the features in the caller's order, the outcome and <c>accepted</c> (clicked or converted).</summary>
    public static IEnumerable<string> OfferHeader(IReadOnlyList<FeatureSpec> features) =>
        ["customer_id", "decision_id", "offer_id", "decided_at", "channel", "arm", "offer_model_version", "placement", "propensity", "score", .. features.Select(f => f.Name), "outcome", "accepted"];

    /// <summary>The names in <paramref name="features"/> that are neither offer attributes nor logged with any of <paramref name="decisions"/>.</summary>
    public static IReadOnlyList<string> Unlogged(IReadOnlyList<FeatureSpec> features, IEnumerable<LoggedDecision> decisions)
    {
        var logged = decisions.SelectMany(d => d.FeatureNames).ToHashSet(StringComparer.Ordinal);
        return [.. features.Select(f => f.Name).Where(n => !n.StartsWith("offer_", StringComparison.Ordinal) && !logged.Contains(n))];
    }

    /// <summary>
    /// The rows of <paramref name="content"/>'s decisions made on or after <paramref name="since"/>, each
    /// joined to the outcomes reported within <paramref name="window"/> of it; decisions whose offer is
    /// not in <paramref name="offers"/> are left out.
    /// </summary>
    public static IEnumerable<IReadOnlyList<string>> Offers(DecisionLogContent content, IReadOnlyList<FeatureSpec> features, IReadOnlyDictionary<string, Offer> offers, DateTime? since, TimeSpan window)
    {
        var outcomes = Outcomes(content);
        foreach (var decision in content.Decisions.Where(d => since is null || d.DecidedAt >= since).OrderBy(d => d.DecidedAt))
        {
            foreach (var slate in decision.Slates)
            {
                if (slate.Chosen is not { } offerId || !offers.TryGetValue(offerId, out var offer))
                {
                    continue;
                }

                var (latest, accepted) = Joined(outcomes, decision, offerId, window);
                var score = slate.Candidates.First(c => c.OfferId == offerId).Acceptance;
                yield return [decision.CustomerId, decision.DecisionId, offerId, decision.DecidedAt.ToString("O", CultureInfo.InvariantCulture), TraitParsing.SnakeCase(slate.Channel.ToString()), decision.Arm, decision.OfferModelVersion,
                    slate.Placement, slate.Propensity.ToString("R", CultureInfo.InvariantCulture), score.ToString("R", CultureInfo.InvariantCulture),
                    .. features.Select(f => Value(decision, f, offer, decision.DecidedAt)),
                    latest == Outcome.Unspecified ? "" : TraitParsing.SnakeCase(latest.ToString()), accepted ? "1" : "0"];
            }
        }
    }

    /// <summary>The outcomes by (decision, offer).</summary>
    public static ILookup<(string Decision, string Offer), LoggedOutcome> Outcomes(DecisionLogContent content) =>
        content.Outcomes.ToLookup(o => (o.DecisionId, o.OfferId));

    /// <summary>
    /// The outcomes of a decision's offer reported within the window: the latest by time (Unspecified
    /// when none) and whether any accepted it (clicked or converted).
    /// </summary>
    public static (Outcome Latest, bool Accepted) Joined(ILookup<(string Decision, string Offer), LoggedOutcome> outcomes, LoggedDecision decision, string offerId, TimeSpan window)
    {
        var within = outcomes[(decision.DecisionId, offerId)].Where(o => o.CustomerId == decision.CustomerId && o.At >= decision.DecidedAt && o.At <= decision.DecidedAt + window).ToList();
        return within.Count == 0 ? (Outcome.Unspecified, false)
            : (within.MaxBy(o => o.At)!.Outcome, within.Any(o => o.Outcome is Outcome.Clicked or Outcome.Converted));
    }

    /// <summary>A feature's value for a logged decision and an offer: logged customer features as logged, offer attributes from the offer, "" when missing.</summary>
    public static string Value(LoggedDecision decision, FeatureSpec feature, Offer offer, DateTime at)
    {
        if (!feature.Name.StartsWith("offer_", StringComparison.Ordinal))
        {
            return decision.Feature(feature.Name) ?? "";
        }

        return TrainingRows.Values(Empty, [feature], at, offer).Single();
    }

    private static readonly CustomerState Empty = new();
}
