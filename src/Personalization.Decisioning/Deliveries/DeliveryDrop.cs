namespace Personalization.Decisioning.Deliveries;

/// <summary>Why a scheduled delivery was not released to its channel queue when it came due (None: it was).</summary>
public enum DeliveryDrop
{
    /// <summary>Not dropped: released (or deferred).</summary>
    None = 0,

    /// <summary>The customer was erased (nothing is known about them any more).</summary>
    Erased = 1,

    /// <summary>The customer withdrew consent for the delivery's purpose on its channel.</summary>
    NoConsent = 2,

    /// <summary>The customer unsubscribed from the channel.</summary>
    Unsubscribed = 3,

    /// <summary>The customer complained of spam on the channel.</summary>
    SpamComplaint = 4,

    /// <summary>The address hard-bounced: the channel is unreachable.</summary>
    HardBounce = 5,

    /// <summary>The channel is suppressed for another reason.</summary>
    Suppressed = 6,

    /// <summary>The customer no longer remembers the decision that made the delivery (an erased and re-created profile, or a decision never saved).</summary>
    DecisionGone = 7,

    /// <summary>The campaign was cancelled before the delivery came due.</summary>
    CampaignCancelled = 8,

    /// <summary>The journey was archived before the delivery came due.</summary>
    JourneyArchived = 9,
}
