using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Decisions;

/// <summary>
/// Remembers decisions in a customer's state and joins outcomes back to them, exactly once each.
/// Outbound and campaign actions are kept for <see cref="CustomerState.OutcomeDays"/> days, however many
/// decisions follow (up to <see cref="CustomerState.OutboundDecisionsKept"/>); inbound actions, whose
/// outcomes come while the page is open, are kept by count (<see cref="CustomerState.InboundDecisionsKept"/>)
/// and for the same days at most. Outbound actions also go into the send history that caps count.
/// </summary>
public static class DecisionMemory
{
    /// <summary>How long after a decision its outcomes are joined.</summary>
    public static readonly TimeSpan OutcomeWindow = TimeSpan.FromDays(CustomerState.OutcomeDays);

    /// <summary>Records the actions of a decision (the holdout records nothing to join).</summary>
    public static void Remember(CustomerState state, string decisionId, DecisionResult result, DecisionMode mode, string? offerModelVersion, DateTime now)
    {
        if (result.Actions.Count == 0)
        {
            Forget(state, now);
            return;
        }

        var key = DecisionKey.Of(decisionId);
        var records = new DecisionRecord[result.Actions.Count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = NewRecord(key, result, result.Actions[i], mode, offerModelVersion, now);
        }

        Restore(state, records, now);
    }

    private static DecisionRecord NewRecord(in DecisionKey key, DecisionResult result, ActionChoice action, DecisionMode mode, string? offerModelVersion, DateTime now) =>
        new()
        {
            Key = key,
            OfferId = action.Offer.OfferId,
            Channel = action.Channel,
            DecidedAt = now,
            SendAt = action.SendAt,
            Mode = mode,
            Explored = action.Explored,
            Arm = result.Arm,
            Acceptance = action.Acceptance,
            OfferModelVersion = offerModelVersion,
        };

    /// <summary>
    /// Keeps the records a decision made at <paramref name="now"/> left: what <see cref="Remember"/> does
    /// with the records it builds, and what replaying the change log does with the logged ones.
    /// </summary>
    public static void Restore(CustomerState state, IReadOnlyList<DecisionRecord> records, DateTime now)
    {
        foreach (var record in records)
        {
            // Before the record: a state with no send history yet seeds it from its outbound records.
            if (record.Mode == DecisionMode.Outbound)
            {
                SendHistory.Add(state, record.Channel, record.SendAt);
            }

            state.Decisions.Add(record);
            state.OfferGiven[record.OfferId] = state.OfferGiven.GetValueOrDefault(record.OfferId) + 1;
        }

        Forget(state, now);
    }

    /// <summary>Joins an outcome to its decision; engagement counters move once per (decision, offer, outcome).</summary>
    public static (OutcomeStatus Status, DecisionRecord? Decision) Record(CustomerState state, string decisionId, string offerId, Outcome outcome, double value, DateTime at)
    {
        var key = DecisionKey.Of(decisionId);
        var ofDecision = state.Decisions.Where(d => d.Is(key) && at - d.DecidedAt <= OutcomeWindow).ToList();
        if (ofDecision.Count == 0)
        {
            return (OutcomeStatus.UnknownDecision, null);
        }

        var decision = ofDecision.Find(d => d.OfferId == offerId);
        if (decision is null)
        {
            return (OutcomeStatus.WrongOffer, null);
        }

        if (!Mark(decision, outcome, value))
        {
            return (OutcomeStatus.Duplicate, decision);
        }

        // The engagement side goes through the same rules as a channel connector's events.
        var type = outcome switch
        {
            Outcome.Shown => CustomerEventType.MessageDelivered,
            Outcome.Opened => CustomerEventType.MessageOpened,
            Outcome.Clicked => CustomerEventType.MessageClicked,
            Outcome.Converted => CustomerEventType.MessageConverted,
            _ => CustomerEventType.Unspecified,
        };
        if (type != CustomerEventType.Unspecified)
        {
            CustomerEvents.Apply(state, new CustomerEvent
            {
                EventId = $"outcome:{decisionId}:{offerId}:{outcome}",
                Type = type,
                Channel = decision.Channel,
                OccurredAt = at,
                DecisionId = decisionId,
                OfferId = offerId,
                Amount = value,
            });
        }

        if (Measurement.Touches.FromOutcome(decision, outcome, at) is { } touch)
        {
            Measurement.Touches.Add(state, touch, at);
        }

        return (OutcomeStatus.Applied, decision);
    }

    /// <summary>
    /// The action of a decision that <paramref name="offerId"/> names (any offer of a one-action decision
    /// when it is empty), if the decision is still remembered.
    /// </summary>
    public static DecisionRecord? Find(CustomerState state, string decisionId, string? offerId)
    {
        var key = DecisionKey.Of(decisionId);
        var ofDecision = state.Decisions.FindAll(d => d.Is(key));
        return string.IsNullOrEmpty(offerId)
            ? ofDecision.Count == 1 ? ofDecision[0] : null
            : ofDecision.Find(d => d.OfferId == offerId);
    }

    /// <summary>The outcome a message lifecycle event reports (a delivery is the message shown), or null for one that reports none.</summary>
    public static Outcome? OutcomeOf(CustomerEventType type) => type switch
    {
        CustomerEventType.MessageDelivered => Outcome.Shown,
        CustomerEventType.MessageOpened => Outcome.Opened,
        CustomerEventType.MessageClicked => Outcome.Clicked,
        CustomerEventType.MessageConverted => Outcome.Converted,
        _ => null,
    };

    /// <summary>
    /// Joins a channel connector's (or client's) message event that names its decision
    /// (<c>message.decision_id</c>, optionally <c>message.offer_id</c>) to that decision, as
    /// <see cref="Record"/> does for <c>RecordOutcome</c>, once per (decision, offer, outcome): the
    /// event itself already moved the engagement counters. Returns the decision when this event joined
    /// it first, with the outcome it recorded; null otherwise (no decision named, unknown, out of the
    /// outcome window, or the outcome already recorded).
    /// </summary>
    public static (DecisionRecord Decision, Outcome Outcome)? JoinReported(CustomerState state, CustomerEvent e)
    {
        if (string.IsNullOrEmpty(e.DecisionId) || OutcomeOf(e.Type) is not { } outcome)
        {
            return null;
        }

        var decision = Find(state, e.DecisionId, e.OfferId);
        if (decision is null || e.OccurredAt - decision.DecidedAt > OutcomeWindow || !Mark(decision, outcome, e.Amount))
        {
            return null;
        }

        return (decision, outcome);
    }

    // Sets an outcome on an action once; false when it was set already.
    private static bool Mark(DecisionRecord decision, Outcome outcome, double value)
    {
        if (decision.Has(outcome))
        {
            return false;
        }

        decision.Outcomes |= 1 << (int)outcome;
        if (outcome == Outcome.Converted)
        {
            decision.ConvertedValue = value;
        }

        return true;
    }

    // Drops actions older than the outcome window, then the oldest of each kind beyond its bound.
    private static void Forget(CustomerState state, DateTime now)
    {
        var decisions = state.Decisions;
        var outbound = 0;
        foreach (var d in decisions)
        {
            outbound += d.Mode == DecisionMode.Outbound ? 1 : 0;
        }

        var (inboundExcess, outboundExcess) = (decisions.Count - outbound - CustomerState.InboundDecisionsKept, outbound - CustomerState.OutboundDecisionsKept);
        if (inboundExcess <= 0 && outboundExcess <= 0 && (decisions.Count == 0 || now - decisions[0].DecidedAt <= OutcomeWindow))
        {
            return;
        }

        Drop(decisions, inboundExcess, outboundExcess, now);
    }

    // Oldest first: every action counts against its kind's excess, whether or not age removes it too.
    // (Apart from Forget, whose every call would otherwise allocate this closure.)
    private static void Drop(List<DecisionRecord> decisions, int inboundExcess, int outboundExcess, DateTime now) =>
        decisions.RemoveAll(d => (d.Mode == DecisionMode.Outbound ? outboundExcess-- > 0 : inboundExcess-- > 0) | now - d.DecidedAt > OutcomeWindow);
}
