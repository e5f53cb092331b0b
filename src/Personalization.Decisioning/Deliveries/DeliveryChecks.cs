using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;

namespace Personalization.Decisioning.Deliveries;

/// <summary>
/// The last look at a delivery before it goes to its channel queue, made by the customer's grain when the
/// delivery comes due (campaigns and journeys alike). Pure: erasure, the decision behind it, suppression
/// (unsubscribe, spam complaint, hard bounce), reachability, consent for the delivery's purpose, then
/// quiet hours, in that order (the first that applies is the reason reported).
/// </summary>
public static class DeliveryChecks
{
    /// <summary>
    /// Decides one due delivery for <paramref name="state"/> (null or empty: the customer was erased or never
    /// existed; nothing is sent and nothing is created). <paramref name="purpose"/> is the consent purpose of the
    /// delivery's offer (<c>marketing</c> or <c>service</c>).
    /// </summary>
    public static DeliveryVerdict Check(CustomerState? state, CampaignDelivery delivery, string purpose, DecisionPolicy policy, DateTime now)
    {
        if (state is null || state.IsEmpty || state.MergedInto is not null)
        {
            return new DeliveryVerdict(delivery.DeliveryId, DeliveryDrop.Erased);
        }

        var decision = DecisionKey.Of(delivery.DecisionId);
        if (!state.Decisions.Exists(d => d.Is(decision) && d.OfferId == delivery.OfferId))
        {
            return new DeliveryVerdict(delivery.DeliveryId, DeliveryDrop.DecisionGone);
        }

        var channel = state.Peek(delivery.Channel);
        var suppressed = channel.SuppressedReason switch
        {
            null => DeliveryDrop.None,
            "unsubscribed" => DeliveryDrop.Unsubscribed,
            "spam complaint" => DeliveryDrop.SpamComplaint,
            "hard bounce" => DeliveryDrop.HardBounce,
            _ => DeliveryDrop.Suppressed,
        };
        if (suppressed != DeliveryDrop.None)
        {
            return new DeliveryVerdict(delivery.DeliveryId, suppressed);
        }

        if (!channel.Reachable)
        {
            return new DeliveryVerdict(delivery.DeliveryId, DeliveryDrop.HardBounce);
        }

        if (!state.CanContact(delivery.Channel, purpose))
        {
            return new DeliveryVerdict(delivery.DeliveryId, DeliveryDrop.NoConsent);
        }

        // A time zone learned since the decision can put the send time inside quiet hours: held, not dropped.
        var allowed = DecisionEngine.NextAllowed(state, now, policy);
        return allowed > now
            ? new DeliveryVerdict(delivery.DeliveryId, DeliveryDrop.None, allowed)
            : new DeliveryVerdict(delivery.DeliveryId, DeliveryDrop.None);
    }
}
