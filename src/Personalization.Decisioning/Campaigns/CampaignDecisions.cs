using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Offers;
using Personalization.Decisioning.Rules;

namespace Personalization.Decisioning.Campaigns;

/// <summary>
/// How one member answers a campaign. Pure: membership, the campaign's holdout, then the decision
/// engine restricted to the campaign's offers and channels, then timing inside the send window. A
/// campaign decides a customer once: a second ask returns the first answer.
/// </summary>
public static class CampaignDecisions
{
    /// <summary>Days after a campaign decision in which a purchase counts as its conversion.</summary>
    public const int AttributionDays = 14;

    private static readonly HashSet<Channel> Sendable = [Channel.Email, Channel.Sms, Channel.Push, Channel.InApp, Channel.DirectMail, Channel.Social, Channel.CallCenter];

    /// <summary>The earlier answer of this campaign for this customer, if it decided them already.</summary>
    public static CampaignMark? Earlier(CustomerState state, string campaignId) => state.Campaigns.Find(m => m.CampaignId == campaignId);

    /// <summary>Whether a customer is in a campaign's control group: a stable hash of campaign and customer.</summary>
    public static bool InHoldout(string campaignId, string customerId, double share) =>
        EventIdHash.Unit($"campaign-holdout:{campaignId}:{customerId}") < share;

    /// <summary>
    /// Decides a member for a campaign, given the live candidate offers with their scores; records the
    /// decision (for caps and outcomes) and the campaign mark in <paramref name="state"/>.
    /// </summary>
    public static CampaignDecision Decide(
        string customerId,
        CustomerState state,
        CampaignDefinition campaign,
        IReadOnlyList<ScoredOffer> offers,
        double churn,
        DecisionPolicy policy,
        string decisionId,
        string? offerModelVersion,
        DateTime now)
    {
        if (Earlier(state, campaign.CampaignId) is { } earlier)
        {
            return new CampaignDecision(customerId, earlier.Suppression, earlier.Deliveries, Repeat: true);
        }

        var (suppression, deliveries) = Choose(customerId, state, campaign, offers, churn, policy, decisionId, offerModelVersion, now);
        Mark(state, new CampaignMark { CampaignId = campaign.CampaignId, DecidedAt = now, Suppression = suppression, Deliveries = deliveries });
        return new CampaignDecision(customerId, suppression, deliveries, Repeat: false);
    }

    /// <summary>Records that a campaign decided this customer (its exactly-once mark), keeping the newest <see cref="CustomerState.CampaignsKept"/>.</summary>
    public static void Mark(CustomerState state, CampaignMark mark)
    {
        state.Campaigns.Add(mark);
        if (state.Campaigns.Count > CustomerState.CampaignsKept)
        {
            state.Campaigns.RemoveRange(0, state.Campaigns.Count - CustomerState.CampaignsKept);
        }
    }

    /// <summary>
    /// A purchase at <paramref name="at"/>: marks the campaigns decided in the attribution window before
    /// it as converted (once each) and returns them with whether the customer was held out.
    /// </summary>
    public static List<(string CampaignId, bool Holdout)> AttributePurchase(CustomerState state, DateTime at)
    {
        var converted = new List<(string, bool)>();
        foreach (var mark in state.Campaigns.Where(m => !m.Converted && m.DecidedAt <= at && at - m.DecidedAt <= TimeSpan.FromDays(AttributionDays)))
        {
            mark.Converted = true;
            converted.Add((mark.CampaignId, mark.Suppression == CampaignSuppression.Holdout));
        }

        return converted;
    }

    private static (CampaignSuppression, List<CampaignDelivery>) Choose(
        string customerId,
        CustomerState state,
        CampaignDefinition campaign,
        IReadOnlyList<ScoredOffer> offers,
        double churn,
        DecisionPolicy policy,
        string decisionId,
        string? offerModelVersion,
        DateTime now)
    {
        if (!state.Segments.ContainsKey(campaign.Segment))
        {
            return (CampaignSuppression.NotAMember, []);
        }

        if (InHoldout(campaign.CampaignId, customerId, campaign.HoldoutShare))
        {
            return (CampaignSuppression.Holdout, []);
        }

        // The campaign's holdout replaces the global one; global caps apply unless the campaign waives them.
        var campaignPolicy = policy with
        {
            HoldoutShare = 0,
            MaxOutboundPerDay = campaign.RespectGlobalCaps ? policy.MaxOutboundPerDay : int.MaxValue,
            MaxPerChannelPerWeek = campaign.RespectGlobalCaps ? policy.MaxPerChannelPerWeek : int.MaxValue,
        };
        var request = new DecisionRequest(DecisionMode.Outbound, campaign.Channels, campaign.MaxPerCustomer, campaign.OfferIds);
        var result = DecisionEngine.Decide(customerId, state, offers, churn, request, campaignPolicy, state.DecisionCount, now);
        if (result.Actions.Count == 0)
        {
            return (WhyNothing(state, campaign.Channels, offers, now), []);
        }

        if (DecisionEngine.BestHourWithin(state, now, campaignPolicy, campaign.WindowStartHour, campaign.WindowEndHour % 24) is not { } sendAt
            || (campaign.EndAt is { } end && sendAt > end))
        {
            return (CampaignSuppression.QuietHours, []);
        }

        var timed = result with { Actions = [.. result.Actions.Select(a => a with { SendAt = sendAt })] };
        DecisionMemory.Remember(state, decisionId, timed, DecisionMode.Outbound, offerModelVersion, now);
        foreach (var record in state.Decisions.Where(d => d.DecisionId == decisionId))
        {
            record.CampaignId = campaign.CampaignId;
        }

        var deliveries = timed.Actions
            .Select(a => new CampaignDelivery($"{campaign.CampaignId}:{customerId}:{a.Offer.OfferId}", customerId, decisionId, a.Offer.OfferId, a.Channel, sendAt))
            .ToList();
        return (CampaignSuppression.None, deliveries);
    }

    /// <summary>
    /// Why the decision engine left an outbound decision over <paramref name="offers"/> (on
    /// <paramref name="allowed"/> channels, empty meaning any) with nothing, in the terms a campaign
    /// manager reports on; campaigns and journey sends share it.
    /// </summary>
    public static CampaignSuppression WhyNothing(CustomerState state, IReadOnlyList<Channel> allowed, IReadOnlyList<ScoredOffer> offers, DateTime now)
    {
        var channels = offers.SelectMany(o => o.Offer.Channels)
            .Where(c => Sendable.Contains(c) && (allowed.Count == 0 || allowed.Contains(c)))
            .Distinct()
            .ToList();
        var open = channels.Where(c => state.Channel(c).SuppressedReason is null && state.Channel(c).Reachable).ToList();
        if (channels.Count > 0 && open.Count == 0)
        {
            return CampaignSuppression.Suppressed;
        }

        if (!open.Any(c => state.CanContact(c)))
        {
            return CampaignSuppression.NoConsent;
        }

        return offers.Any(o => Eligible(o.Offer, state, now)) ? CampaignSuppression.Capped : CampaignSuppression.NoEligibleOffer;
    }

    private static bool Eligible(Offer offer, CustomerState state, DateTime now) =>
        offer.EligibilityRule.Length == 0 || RuleLanguage.Compile(offer.EligibilityRule).Matches(state, now);
}
