using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Tests.Decisions;

/// <summary>What happens to the customer next in a <see cref="CapSimulation"/>.</summary>
internal enum CapStepKind
{
    /// <summary>Value inbound decisions (10 actions asked each).</summary>
    Inbound,

    /// <summary>An outbound decision asking for Value actions.</summary>
    Outbound,

    /// <summary>A campaign decision of Value actions that respects the global caps.</summary>
    Campaign,

    /// <summary>A campaign decision of Value actions that waives them (its sends still count afterwards).</summary>
    CampaignWaivingCaps,

    /// <summary>A connector reports a send the service did not decide, on channel number Value, up to a day late.</summary>
    Reported,

    /// <summary>A connector reports the send of one of the service's own actions (by decision_id), picked by Value.</summary>
    Echo,

    /// <summary>Value minutes pass.</summary>
    Wait,
}

/// <summary>One step of a <see cref="CapSimulation"/>.</summary>
internal sealed record CapStep(CapStepKind Kind, int Value);

/// <summary>
/// One customer's life replayed through the service's pure steps (decide, remember, apply events),
/// with the true list of sends beside it: every capped outbound action must find room under the caps
/// in that truth, counting the sends the same decision made before it.
/// </summary>
internal sealed class CapSimulation
{
    /// <summary>Monday 2026-03-02 09:00 UTC.</summary>
    public static readonly DateTime Start = new(2026, 3, 2, 9, 0, 0, DateTimeKind.Utc);

    public static readonly DecisionPolicy Policy = new() { HoldoutShare = 0, ExplorationShare = 0.2 };

    public static readonly Channel[] SendChannels = [Channel.Email, Channel.Sms, Channel.Push, Channel.InApp];

    private static readonly ScoredOffer[] Offers =
    [
        .. Enumerable.Range(0, 12).Select(i => new ScoredOffer(
            new Offer { OfferId = $"o{i}", Name = $"o{i}", Type = OfferType.Discount, Value = 5 + i, Channels = [Channel.Web, SendChannels[i % 4], SendChannels[(i + 1) % 4]] },
            0.05 + (i * 0.03), 20, 3)),
    ];

    private readonly List<(Channel Channel, DateTime At)> _trueSends = [];
    private readonly List<(string DecisionId, string OfferId, Channel Channel, DateTime SendAt)> _actions = [];
    private int _events;
    private int _campaigns;

    public CapSimulation()
    {
        State.Segments["all"] = 1;
        foreach (var channel in SendChannels)
        {
            State.Channel(channel).Consent[CustomerEvents.DefaultPurpose] = new ConsentEntry(true, Start.AddDays(-30));
        }
    }

    public CustomerState State { get; } = new();

    public DateTime Now { get; private set; } = Start;

    /// <summary>Capped actions that found no room under the caps in the true sends; empty when the caps held.</summary>
    public List<string> Violations { get; } = [];

    public void Run(IEnumerable<CapStep> steps)
    {
        foreach (var step in steps)
        {
            Do(step);
        }
    }

    public void Wait(TimeSpan time) => Now += time;

    public void Do(CapStep step)
    {
        switch (step.Kind)
        {
            case CapStepKind.Inbound:
                Inbound(step.Value);
                break;
            case CapStepKind.Outbound:
                Outbound(step.Value);
                break;
            case CapStepKind.Campaign or CapStepKind.CampaignWaivingCaps:
                Campaign(step.Value, step.Kind == CapStepKind.Campaign);
                break;
            case CapStepKind.Reported:
                Report(SendChannels[step.Value % SendChannels.Length], Now.AddMinutes(-(step.Value * 7 % 1440)));
                break;
            case CapStepKind.Echo:
                Echo(step.Value);
                break;
            case CapStepKind.Wait:
                Now = Now.AddMinutes(step.Value);
                break;
        }
    }

    public void Inbound(int decisions)
    {
        for (var i = 0; i < decisions; i++)
        {
            var number = ++State.DecisionCount;
            var result = DecisionEngine.Decide("c1", State, Offers, 0.2, new DecisionRequest(DecisionMode.Inbound, [Channel.Web], 10, []), Policy, number, Now);
            DecisionMemory.Remember(State, $"in-{number}", result, DecisionMode.Inbound, null, Now);
        }
    }

    public DecisionResult Outbound(int maxActions, params Channel[] channels)
    {
        var number = ++State.DecisionCount;
        var result = DecisionEngine.Decide("c1", State, Offers, 0.2, new DecisionRequest(DecisionMode.Outbound, channels, maxActions, []), Policy, number, Now);
        Check(result.Actions.Select(a => (a.Channel, a.SendAt)), $"outbound decision {number}");
        DecisionMemory.Remember(State, $"out-{number}", result, DecisionMode.Outbound, null, Now);
        Sending($"out-{number}", result.Actions.Select(a => (a.Offer.OfferId, a.Channel, a.SendAt)));
        return result;
    }

    /// <summary>A campaign decision; returns the id it was recorded under.</summary>
    public string Campaign(int maxPerCustomer, bool respectCaps)
    {
        var campaign = new CampaignDefinition { CampaignId = $"camp-{++_campaigns}", Name = "c", Segment = "all", MaxPerCustomer = maxPerCustomer, RespectGlobalCaps = respectCaps };
        var decisionId = $"{campaign.CampaignId}-d";
        var decision = CampaignDecisions.Decide("c1", State, campaign, Offers, 0.2, Policy, decisionId, null, Now);
        if (respectCaps)
        {
            Check(decision.Deliveries.Select(d => (d.Channel, d.SendAt)), campaign.CampaignId);
        }

        Sending(decisionId, decision.Deliveries.Select(d => (d.OfferId, d.Channel, d.SendAt)));
        return decisionId;
    }

    /// <summary>A connector's MESSAGE_SENT for a send the service did not decide.</summary>
    public void Report(Channel channel, DateTime at)
    {
        CustomerEvents.Apply(State, Sent(channel, at));
        _trueSends.Add((channel, at));
    }

    // A connector reports one of the service's own sends once it went out: the same send, not another.
    private void Echo(int pick)
    {
        var due = _actions.Where(a => a.SendAt <= Now).ToList();
        if (due.Count == 0)
        {
            return;
        }

        var (decisionId, offerId, channel, sendAt) = due[pick % due.Count];
        CustomerEvents.Apply(State, Sent(channel, sendAt) with { DecisionId = decisionId, OfferId = offerId });
    }

    private CustomerEvent Sent(Channel channel, DateTime at) => new()
    {
        EventId = $"sent-{++_events}",
        CustomerId = "c1",
        Type = CustomerEventType.MessageSent,
        Channel = channel,
        OccurredAt = at,
    };

    private void Sending(string decisionId, IEnumerable<(string OfferId, Channel Channel, DateTime SendAt)> actions)
    {
        foreach (var (offerId, channel, sendAt) in actions)
        {
            _actions.Add((decisionId, offerId, channel, sendAt));
            _trueSends.Add((channel, sendAt));
        }
    }

    // Each action, with the ones before it in the same decision, must stay under both caps in the truth.
    private void Check(IEnumerable<(Channel Channel, DateTime SendAt)> actions, string what)
    {
        var taken = new List<Channel>();
        foreach (var (channel, _) in actions)
        {
            var day = _trueSends.Count(s => s.At > Now.AddDays(-1)) + taken.Count;
            var week = _trueSends.Count(s => s.Channel == channel && s.At > Now.AddDays(-7)) + taken.Count(c => c == channel);
            if (day >= Policy.MaxOutboundPerDay || week >= Policy.MaxPerChannelPerWeek)
            {
                Violations.Add($"{what} at {Now:O}: {channel} with {day} sends in the day and {week} on the channel in the week");
            }

            taken.Add(channel);
        }
    }
}
