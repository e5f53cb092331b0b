namespace Personalization.Decisioning.Campaigns;

/// <summary>Why a campaign member got no delivery (None: they got one).</summary>
public enum CampaignSuppression
{
    /// <summary>Not suppressed: at least one delivery was queued.</summary>
    None = 0,

    /// <summary>No consent on any allowed channel.</summary>
    NoConsent = 1,

    /// <summary>Frequency caps (the customer's or the offers') left no room.</summary>
    Capped = 2,

    /// <summary>No allowed hour in the send window outside quiet hours before the campaign ends.</summary>
    QuietHours = 3,

    /// <summary>In the campaign's control group.</summary>
    Holdout = 4,

    /// <summary>No candidate offer was eligible.</summary>
    NoEligibleOffer = 5,

    /// <summary>No longer a member when reached.</summary>
    NotAMember = 6,

    /// <summary>Unsubscribed, bounced or complained on every allowed channel.</summary>
    Suppressed = 7,

    /// <summary>In the service's global control group (held out of every campaign and journey).</summary>
    GlobalControl = 8,

    /// <summary>Outside the test share while the experiment runs: not decided yet, held for the winner (no mark; never counted as a suppression).</summary>
    Held = 9,
}
