using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Journeys;
using Personalization.Decisioning.Measurement;

namespace Personalization.Decisioning.Customers;

/// <summary>
/// Rebuilds a customer from its snapshot and the changes logged after it. Pure, and the same code
/// the live path ran: an event goes through <see cref="CustomerEvents.Apply"/> and <see cref="Applied"/> (a purchase marks
/// the campaigns it converts, a message event records its touch and joins its decision), an outcome through <see cref="DecisionMemory.Record"/>, a decision
/// through <see cref="DecisionMemory.Restore"/> and <see cref="CampaignDecisions.Mark"/>, a journey step
/// through <see cref="DecisionMemory.Restore"/> and <see cref="JourneySteps.Put"/>.
/// </summary>
public static class CustomerChanges
{
    /// <summary>Applies one logged change to <paramref name="state"/>.</summary>
    public static void Replay(CustomerState state, CustomerChange change)
    {
        switch (change)
        {
            case EventApplied { Event: var e }:
                if (CustomerEvents.Apply(state, e) == ApplyOutcome.Applied)
                {
                    Applied(state, e);
                }

                break;
            case OutcomeRecorded o:
                DecisionMemory.Record(state, o.DecisionId, o.OfferId, o.Outcome, o.Value, o.At);
                break;
            case DecisionMade d:
                DecisionMemory.Restore(state, d.Records, d.DecidedAt);
                state.DecisionCount = Math.Max(state.DecisionCount, d.DecisionCount);
                if (d.Mark is { } mark && CampaignDecisions.Earlier(state, mark.CampaignId) is null)
                {
                    CampaignDecisions.Mark(state, mark);
                }

                break;
            case JourneyAdvanced j:
                DecisionMemory.Restore(state, j.Records, j.At);
                state.DecisionCount = Math.Max(state.DecisionCount, j.DecisionCount);
                JourneySteps.Put(state, j.Enrollment);
                break;
            default:
                throw new ArgumentException($"unknown change {change.GetType().Name}", nameof(change));
        }
    }

    /// <summary>
    /// What follows an event newly applied, live and in replay alike: a purchase marks the campaigns it
    /// converts, a message event joins the decision it names and records its touch (once per decision and outcome
    /// when it names one). Returns the
    /// campaigns' conversions, the touch and the join for the caller to count.
    /// </summary>
    public static (List<CampaignConversion> Conversions, Touch? Touch, (DecisionRecord Decision, Outcome Outcome)? Joined) Applied(CustomerState state, CustomerEvent e)
    {
        if (e.Type == CustomerEventType.Purchase)
        {
            return (CampaignDecisions.AttributePurchase(state, e.OccurredAt, e.Amount), null, null);
        }

        // A second report of the same outcome of the same decision (another open of one message) is no new touch.
        var joined = DecisionMemory.JoinReported(state, e);
        var repeat = joined is null && DecisionMemory.OutcomeOf(e.Type) is not null && !string.IsNullOrEmpty(e.DecisionId) && DecisionMemory.Find(state, e.DecisionId, e.OfferId) is not null;
        return ([], repeat ? null : Touches.Observe(state, e), joined);
    }
}
