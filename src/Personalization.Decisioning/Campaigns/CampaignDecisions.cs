using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Measurement;
using Personalization.Decisioning.Offers;
using Personalization.Decisioning.Recommendations;
using Personalization.Decisioning.Rules;

namespace Personalization.Decisioning.Campaigns;

/// <summary>
/// How one member answers a campaign. Pure: membership, the global control group, the campaign's
/// holdout, the experiment's variant (a stable random draw, or the auto-winner once decided), then
/// the decision engine restricted to the variant's offers and channels, then timing inside the send
/// window. A campaign decides a customer once: a second ask returns the first answer.
/// </summary>
public static class CampaignDecisions
{
    /// <summary>Days after a campaign decision in which a purchase counts as its conversion.</summary>
    public const int AttributionDays = 14;

    /// <summary>Days before a campaign decision whose purchases are the member's CUPED covariate (within the 30 days of activity a customer keeps).</summary>
    public const int PrePeriodDays = 30;

    private static readonly HashSet<Channel> Sendable = [Channel.Email, Channel.Sms, Channel.Push, Channel.InApp, Channel.DirectMail, Channel.Social, Channel.CallCenter];

    /// <summary>The earlier answer of this campaign for this customer, if it decided them already.</summary>
    public static CampaignMark? Earlier(CustomerState state, string campaignId) => state.Campaigns.Find(m => m.CampaignId == campaignId);

    /// <summary>Whether a customer is in a campaign's control group: a stable hash of campaign and customer.</summary>
    public static bool InHoldout(string campaignId, string customerId, double share) =>
        EventIdHash.Unit($"campaign-holdout:{campaignId}:{customerId}") < share;

    /// <summary>
    /// Decides a member for a campaign, given the live candidate offers with their scores; records the
    /// decision (for caps and outcomes) and the campaign mark in <paramref name="state"/>;
    /// <paramref name="items"/> are the member's recommended products the content sees as <c>items</c>;
    /// <paramref name="decided"/> sees the engine's result (with its slates) when something is sent, for the decision log.
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
        DateTime now,
        IReadOnlyList<PlacementItems>? items = null,
        Action<DecisionResult>? decided = null)
    {
        if (Earlier(state, campaign.CampaignId) is { } earlier)
        {
            return CampaignDecision.Of(customerId, earlier, repeat: true);
        }

        if (Holds(customerId, state, campaign, policy))
        {
            return HeldAnswer(customerId);
        }

        var mark = Choose(customerId, state, campaign, offers, churn, policy, decisionId, offerModelVersion, now, items, decided);
        Mark(state, mark);
        return CampaignDecision.Of(customerId, mark, repeat: false);
    }

    /// <summary>
    /// Whether the campaign holds this member for its winner (<see cref="CampaignHold.Holds"/>): a member of the
    /// segment, outside the global control and the holdout (those answer as always), outside the test share.
    /// </summary>
    public static bool Holds(string customerId, CustomerState state, CampaignDefinition campaign, DecisionPolicy policy) =>
        CampaignHold.Holds(campaign, customerId)
        && state.Segments.ContainsKey(campaign.Segment)
        && !GlobalControl.IsHeldOut(customerId, policy.GlobalControlSalt, policy.GlobalControlShare)
        && !InHoldout(campaign.CampaignId, customerId, campaign.HoldoutShare);

    /// <summary>The answer of a held member: nothing decided, nothing kept.</summary>
    public static CampaignDecision HeldAnswer(string customerId) => new(customerId, CampaignSuppression.Held, [], Repeat: false);

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
    /// A purchase of <paramref name="amount"/> at <paramref name="at"/>: adds it to the revenue of every
    /// campaign decided in the attribution window before it (whatever the member's answer: delivered,
    /// suppressed or held out, so every arm is measured alike), marks each converted on its first, and
    /// returns what each campaign should count.
    /// </summary>
    public static List<CampaignConversion> AttributePurchase(CustomerState state, DateTime at, double amount)
    {
        var converted = new List<CampaignConversion>();
        var value = double.IsFinite(amount) && amount > 0 ? amount : 0;
        foreach (var mark in state.Campaigns.Where(m => m.DecidedAt <= at && at - m.DecidedAt <= TimeSpan.FromDays(AttributionDays)))
        {
            if (mark.Converted && value == 0)
            {
                continue;
            }

            converted.Add(new CampaignConversion(mark.CampaignId, mark.Suppression, mark.Variant, mark.AfterWinner, mark.Revenue, value, First: !mark.Converted, mark.PrePurchases));
            mark.Converted = true;
            mark.Revenue += value;
        }

        return converted;
    }

    private static CampaignMark Choose(
        string customerId,
        CustomerState state,
        CampaignDefinition campaign,
        IReadOnlyList<ScoredOffer> offers,
        double churn,
        DecisionPolicy policy,
        string decisionId,
        string? offerModelVersion,
        DateTime now,
        IReadOnlyList<PlacementItems>? items,
        Action<DecisionResult>? decided)
    {
        // Purchases before today's: nothing the campaign did can have moved them.
        var prePurchases = state.PurchasesInLast(PrePeriodDays + 1, now) - state.PurchasesInLast(1, now);
        CampaignMark Answer(CampaignSuppression suppression, int variant = 0, bool afterWinner = false, List<CampaignDelivery>? deliveries = null) =>
            new() { CampaignId = campaign.CampaignId, DecidedAt = now, Suppression = suppression, Deliveries = deliveries ?? [], Variant = variant, AfterWinner = afterWinner, PrePurchases = prePurchases, Released = campaign.Releasing };

        if (!state.Segments.ContainsKey(campaign.Segment))
        {
            return Answer(CampaignSuppression.NotAMember);
        }

        if (GlobalControl.IsHeldOut(customerId, policy.GlobalControlSalt, policy.GlobalControlShare))
        {
            return Answer(CampaignSuppression.GlobalControl);
        }

        if (InHoldout(campaign.CampaignId, customerId, campaign.HoldoutShare))
        {
            return Answer(CampaignSuppression.Holdout);
        }

        // The variant is drawn before anything can suppress the member: a member the variant cannot
        // reach still counts in its variant (intention to treat).
        var (variant, afterWinner) = campaign.Variants.Count == 0 ? (-1, false)
            : campaign.Winner is { } winner ? (winner, true)
            : (CampaignVariants.Assign(campaign.CampaignId, customerId, campaign.Variants), false);
        var variantName = variant < 0 ? null : campaign.Variants[variant].Name;
        if (variant >= 0)
        {
            campaign = CampaignVariants.Apply(campaign, campaign.Variants[variant]);
            offers = [.. offers.Where(o => campaign.OfferIds.Contains(o.Offer.OfferId))];
        }

        // The campaign's holdout replaces the global one; global caps apply unless the campaign waives them.
        var campaignPolicy = policy with
        {
            HoldoutShare = 0,
            MaxOutboundPerDay = campaign.RespectGlobalCaps ? policy.MaxOutboundPerDay : int.MaxValue,
            MaxPerChannelPerWeek = campaign.RespectGlobalCaps ? policy.MaxPerChannelPerWeek : int.MaxValue,
        };
        var request = new DecisionRequest(DecisionMode.Outbound, campaign.Channels, campaign.MaxPerCustomer, campaign.OfferIds);
        var result = DecisionEngine.Decide(customerId, state, offers, churn, request, campaignPolicy, state.DecisionCount, now, items: items, withSlates: decided is not null);
        if (result.Actions.Count == 0)
        {
            return Answer(WhyNothing(state, campaign.Channels, offers, now), variant + 1, afterWinner);
        }

        if (DecisionEngine.BestHourWithin(state, now, campaignPolicy, campaign.WindowStartHour, campaign.WindowEndHour % 24) is not { } sendAt
            || (campaign.EndAt is { } end && sendAt > end))
        {
            return Answer(CampaignSuppression.QuietHours, variant + 1, afterWinner);
        }

        var timed = result with { Actions = [.. result.Actions.Select(a => a with { SendAt = sendAt })] };
        DecisionMemory.Remember(state, decisionId, timed, DecisionMode.Outbound, offerModelVersion, now);
        decided?.Invoke(timed);
        var key = DecisionKey.Of(decisionId);
        foreach (var record in state.Decisions.Where(d => d.Is(key)))
        {
            record.CampaignId = campaign.CampaignId;
        }

        var deliveries = timed.Actions
            .Select(a => new CampaignDelivery($"{campaign.CampaignId}:{customerId}:{a.Offer.OfferId}", customerId, decisionId, a.Offer.OfferId, a.Channel, sendAt, variantName, a.Content))
            .ToList();
        return Answer(CampaignSuppression.None, variant + 1, afterWinner, deliveries);
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
        var open = channels.Where(c => state.Peek(c).SuppressedReason is null && state.Peek(c).Reachable).ToList();
        if (channels.Count > 0 && open.Count == 0)
        {
            return CampaignSuppression.Suppressed;
        }

        if (!open.Any(c => offers.Any(o => o.Offer.Channels.Contains(c) && state.CanContact(c, o.Offer.ConsentPurpose))))
        {
            return CampaignSuppression.NoConsent;
        }

        return offers.Any(o => Eligible(o.Offer, state, now)) ? CampaignSuppression.Capped : CampaignSuppression.NoEligibleOffer;
    }

    private static bool Eligible(Offer offer, CustomerState state, DateTime now) =>
        offer.EligibilityRule.Length == 0 || RuleLanguage.Compile(offer.EligibilityRule).Matches(state, now);
}
