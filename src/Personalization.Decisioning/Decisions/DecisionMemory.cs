using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Decisions;

/// <summary>Remembers decisions in a customer's state and joins outcomes back to them, exactly once each.</summary>
public static class DecisionMemory
{
    /// <summary>Records the actions of a decision (the holdout records nothing to join).</summary>
    public static void Remember(CustomerState state, string decisionId, DecisionResult result, DecisionMode mode, string? offerModelVersion, DateTime now)
    {
        foreach (var action in result.Actions)
        {
            state.Decisions.Add(new DecisionRecord
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
            });
            state.OfferGiven[action.Offer.OfferId] = state.OfferGiven.GetValueOrDefault(action.Offer.OfferId) + 1;
        }

        Trim(state);
    }

    /// <summary>Puts back the records a decision left (replaying the change log): the same state <see cref="Remember"/> made.</summary>
    public static void Restore(CustomerState state, IReadOnlyList<DecisionRecord> records)
    {
        foreach (var record in records)
        {
            state.Decisions.Add(record);
            state.OfferGiven[record.OfferId] = state.OfferGiven.GetValueOrDefault(record.OfferId) + 1;
        }

        Trim(state);
    }

    private static void Trim(CustomerState state)
    {
        if (state.Decisions.Count > CustomerState.DecisionsKept)
        {
            state.Decisions.RemoveRange(0, state.Decisions.Count - CustomerState.DecisionsKept);
        }
    }

    /// <summary>Joins an outcome to its decision; engagement counters move once per (decision, offer, outcome).</summary>
    public static (OutcomeStatus Status, DecisionRecord? Decision) Record(CustomerState state, string decisionId, string offerId, Outcome outcome, double value, DateTime at)
    {
        var ofDecision = state.Decisions.Where(d => d.DecisionId == decisionId).ToList();
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
}
