using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;

namespace Personalization.Contracts.Customers;

/// <summary>
/// One customer (key: customer id) or anonymous visitor (key: <c>anon:</c> + anonymous id): live
/// cross-channel state built from events.
/// </summary>
public interface ICustomerGrain : IGrainWithStringKey
{
    /// <summary>Applies validated events in order; a visitor merged into a known customer answers Forward instead.</summary>
    Task<TrackResult> Track(List<CustomerEvent> events);

    /// <summary>The current state; null when nothing is known about this key.</summary>
    Task<CustomerState?> GetState();

    /// <summary>The customer's interests (of the known customer when this visitor merged into one); null when none yet.</summary>
    Task<CustomerInterests?> GetInterests();

    /// <summary>Decides the next best actions and remembers them for their outcomes.</summary>
    Task<Decisions.DecisionResponse> Decide(DecisionRequest request);

    /// <summary>Joins an outcome to a decision given to this customer, exactly once.</summary>
    Task<OutcomeStatus> RecordOutcome(string decisionId, string offerId, Outcome outcome, double value, DateTime at);

    /// <summary>The churn score, from cache while it stands; null when no churn model is active.</summary>
    Task<ScoreEntry?> GetChurnScore();

    /// <summary>The scores of every active per-customer model kind beyond churn (clv, purchase-propensity, ...), cached like churn.</summary>
    Task<KindScore[]> GetKindScores();

    /// <summary>Erases the customer and the anonymous profiles merged into it; false when there was nothing.</summary>
    Task<bool> Forget();

    /// <summary>
    /// For identify, on an anonymous visitor: points it at <paramref name="customerId"/> (later events
    /// are forwarded there) and returns what it knew, for the known customer to merge. Null when it
    /// knew nothing or already belongs to another customer.
    /// </summary>
    Task<CustomerState?> Detach(string customerId);

    /// <summary>Re-evaluates segment memberships against registry version <paramref name="minVersion"/> or later (a backfill's call).</summary>
    Task EvaluateSegments(long minVersion);

    /// <summary>Whether the customer matches a rule now (a segment preview's call).</summary>
    Task<bool> Matches(string rule);

    /// <summary>
    /// Decides the customer for a campaign, exactly once: written before it returns, and asked again it
    /// answers the first decision with Repeat set. Membership is re-checked at registry version
    /// <paramref name="segmentVersion"/> or later.
    /// </summary>
    Task<Decisioning.Campaigns.CampaignDecision> DecideCampaign(Decisioning.Campaigns.CampaignDefinition campaign, long segmentVersion);

    /// <summary>For identify, after the known customer saved the merge: drops the visitor's copy, keeping only the pointer.</summary>
    Task Release();

    /// <summary>
    /// For the recovery of a gone silo's change log: activates the customer (which replays its changes
    /// from that log) and makes sure its stored snapshot no longer needs the log.
    /// </summary>
    Task ReleaseLog(string logName);

    /// <summary>
    /// The last look at this customer's deliveries that came due (a scheduled-queue message's share): one
    /// verdict per delivery, in order — release, drop with a reason, or hold until the end of quiet hours.
    /// An erased customer answers <see cref="Decisioning.Deliveries.DeliveryDrop.Erased"/> and stays erased
    /// (the call stores nothing).
    /// </summary>
    Task<List<Decisioning.Deliveries.DeliveryVerdict>> CheckDeliveries(List<Decisioning.Campaigns.CampaignDelivery> deliveries);

    /// <summary>Erases the customer when the retention settings say it was kept long enough (the retention sweep's call); true when it did.</summary>
    Task<bool> EraseIfExpired();

    /// <summary>Writes the customer's snapshot now if it has changes the stored one lacks (the silo's snapshot pacer calls this).</summary>
    Task Snapshot();

    /// <summary>
    /// The wake-up schedule's call at <paramref name="due"/>: runs the journey steps and entries that are due
    /// now. Idempotent: a wake whose due time the customer already passed (its own timer ran it, or a
    /// repeat after a crash) runs nothing.
    /// </summary>
    Task WakeJourneys(DateTime due);
}
