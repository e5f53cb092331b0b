using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Journeys;

namespace Personalization.Decisioning.Customers;

/// <summary>
/// Rebuilds a customer from its snapshot and the changes logged after it. Pure, and the same code
/// the live path ran: an event goes through <see cref="CustomerEvents.Apply"/> (and a purchase marks
/// the campaigns it converts), an outcome through <see cref="DecisionMemory.Record"/>, a decision
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
                if (CustomerEvents.Apply(state, e) == ApplyOutcome.Applied && e.Type == CustomerEventType.Purchase)
                {
                    CampaignDecisions.AttributePurchase(state, e.OccurredAt, e.Amount);
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
}
