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
    public static void Remember(CustomerState state, string decisionId, DecisionResult result, DecisionMode mode, string? offerModelVersion, DateTime now) =>
        Restore(state, [.. result.Actions.Select(action => new DecisionRecord
        {
            DecisionId = decisionId,
            OfferId = action.Offer.OfferId,
            Channel = action.Channel,
            DecidedAt = now,
            SendAt = action.SendAt,
            Mode = mode,
            Explored = action.Explored,
            Arm = result.Arm,
            Acceptance = action.Acceptance,
            OfferModelVersion = offerModelVersion,
        })], now);

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

        if (decision.Has(outcome))
        {
            return (OutcomeStatus.Duplicate, decision);
        }

        decision.Outcomes |= 1 << (int)outcome;
        if (outcome == Outcome.Converted)
        {
            decision.ConvertedValue = value;
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

        return (OutcomeStatus.Applied, decision);
    }

    // Drops actions older than the outcome window, then the oldest of each kind beyond its bound.
    private static void Forget(CustomerState state, DateTime now)
    {
        var decisions = state.Decisions;
        var outbound = decisions.Count(d => d.Mode == DecisionMode.Outbound);
        var (inboundExcess, outboundExcess) = (decisions.Count - outbound - CustomerState.InboundDecisionsKept, outbound - CustomerState.OutboundDecisionsKept);
        if (inboundExcess <= 0 && outboundExcess <= 0 && (decisions.Count == 0 || now - decisions[0].DecidedAt <= OutcomeWindow))
        {
            return;
        }

        // Oldest first: every action counts against its kind's excess, whether or not age removes it too.
        decisions.RemoveAll(d => (d.Mode == DecisionMode.Outbound ? outboundExcess-- > 0 : inboundExcess-- > 0) | now - d.DecidedAt > OutcomeWindow);
    }
}
