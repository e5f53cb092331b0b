using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Recommendations;

namespace Personalization.Decisioning.Journeys;

/// <summary>
/// A journey's send step for one customer, now. Pure: the decision engine restricted to the step's
/// (or journey's) offers and channels — consent, suppression, reachability, eligibility, offer and
/// global caps, engagement-weighted channel choice — sending now, or deferred to the end of quiet
/// hours. The delivery id is journey + customer + entry number + step: the same step of the same
/// enrollment always queues the same id, so connectors dedupe a repeat.
/// </summary>
public static class JourneySends
{
    /// <summary>
    /// A journey's expected value to a customer: its best offer's acceptance × value (the decision engine's ranking
    /// without the channel), 0 with no live offer. The tie-break between journeys of equal priority (<see cref="JourneyValue"/>).
    /// </summary>
    public static double ExpectedValue(IEnumerable<ScoredOffer> scored)
    {
        var best = 0.0;
        foreach (var offer in scored)
        {
            best = Math.Max(best, offer.Acceptance * offer.Offer.Value);
        }

        return best;
    }

    /// <summary>The delivery id of a send step in an enrollment.</summary>
    public static string DeliveryId(string customerId, Enrollment enrollment, string step) =>
        $"{enrollment.JourneyId}:{customerId}:{enrollment.Number}:{step}";

    /// <summary>
    /// Decides the send (recording the decision in <paramref name="state"/>) or says when to try again;
    /// <paramref name="items"/> are the customer's recommended products the content sees as <c>items</c>.
    /// </summary>
    public static JourneySendResult Decide(
        string customerId,
        CustomerState state,
        JourneyDefinition journey,
        JourneyStep step,
        Enrollment enrollment,
        IReadOnlyList<ScoredOffer> offers,
        double churn,
        DecisionPolicy policy,
        string? offerModelVersion,
        DateTime now,
        IReadOnlyList<PlacementItems>? items = null)
    {
        // The service-wide control group gets no journey message either (reported as such, not as a cap).
        if (Measurement.GlobalControl.IsHeldOut(customerId, policy.GlobalControlSalt, policy.GlobalControlShare))
        {
            return new JourneySendResult(CampaignSuppression.GlobalControl, [], [], null);
        }

        if (DecisionEngine.NextAllowed(state, now, policy) is var allowed && allowed > now)
        {
            return JourneySendResult.Deferred(allowed);
        }

        var offerIds = step.OfferIds.Count > 0 ? step.OfferIds : journey.OfferIds;
        var channels = step.Channels.Count > 0 ? step.Channels : journey.Channels;
        var candidates = offers.Where(o => offerIds.Contains(o.Offer.OfferId)).ToList();
        var number = ++state.DecisionCount;

        // No journey holdout yet: the global decision holdout is for the decision stream, as campaigns replace it with theirs.
        var request = new DecisionRequest(DecisionMode.Outbound, channels, 1, offerIds);
        var result = DecisionEngine.Decide(customerId, state, candidates, churn, request, policy with { HoldoutShare = 0 }, number, now, items: items);
        if (result.Actions.Count == 0)
        {
            return new JourneySendResult(CampaignDecisions.WhyNothing(state, channels, candidates, now), [], [], null);
        }

        var decisionId = $"j-{number:x}-{EventIdHash.Of(DeliveryId(customerId, enrollment, step.Id)):x}";
        var timed = result with { Actions = [.. result.Actions.Select(a => a with { SendAt = now })] };
        DecisionMemory.Remember(state, decisionId, timed, DecisionMode.Outbound, offerModelVersion, now);
        var key = DecisionKey.Of(decisionId);
        var records = state.Decisions.FindAll(d => d.Is(key));
        foreach (var record in records)
        {
            // Reports count the journey's touches and conversions, and list its step's responders, through these.
            (record.JourneyId, record.JourneyStep) = (journey.JourneyId, step.Id);
        }

        var deliveries = timed.Actions
            .Select(a => new CampaignDelivery(DeliveryId(customerId, enrollment, step.Id), customerId, decisionId, a.Offer.OfferId, a.Channel, now, Content: a.Content))
            .ToList();
        return new JourneySendResult(CampaignSuppression.None, deliveries, records, null);
    }
}
