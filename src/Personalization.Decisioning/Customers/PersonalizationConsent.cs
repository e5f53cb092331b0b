namespace Personalization.Decisioning.Customers;

/// <summary>
/// The <c>personalization</c> consent purpose (do not personalise). Given or withdrawn on any channel, the
/// latest event wins across channels; a customer who never said either way is personalised. Withdrawn:
/// the profile's personal data (traits, behaviour, cart, engagement hours, interests, cached scores) is
/// cleared at once, later events keep only what consent, suppression, caps and quiet hours need, and
/// decisions use population defaults. Granting it again starts a new profile from the next event.
/// </summary>
public static class PersonalizationConsent
{
    /// <summary>The consent purpose.</summary>
    public const string Purpose = "personalization";

    /// <summary>Whether the customer's latest personalization consent, on any channel, is a withdrawal.</summary>
    public static bool IsWithdrawn(CustomerState state)
    {
        ConsentEntry? latest = null;
        foreach (var channel in state.Channels)
        {
            if (channel?.Consent.TryGetValue(Purpose, out var entry) == true && (latest is null || entry.At > latest.At))
            {
                latest = entry;
            }
        }

        return latest is { Granted: false };
    }

    /// <summary>Whether an event of this type is kept for a customer who withdrew: consent, suppression, message lifecycle (caps, reachability), time zone (quiet hours) and identity.</summary>
    public static bool Keeps(CustomerEventType type) => type is CustomerEventType.ConsentGranted or CustomerEventType.ConsentWithdrawn
        or CustomerEventType.Unsubscribed or CustomerEventType.SpamComplaint
        or CustomerEventType.MessageSent or CustomerEventType.MessageDelivered or CustomerEventType.MessageOpened
        or CustomerEventType.MessageClicked or CustomerEventType.MessageConverted or CustomerEventType.MessageBounced
        or CustomerEventType.TimeZoneSet or CustomerEventType.Identify;

    /// <summary>Clears the personal data a withdrawal leaves no ground for (consent, suppression, sends, decisions and identity stay).</summary>
    public static void Forget(CustomerState state)
    {
        state.Traits.Clear();
        state.Behaviour = new BehaviourState();
        state.Cart = new CartState();
        state.Hours = null;
        state.HoursBefore = null;
        state.Interests = null;
        state.Churn = null;
        state.KindScores = [];
    }
}
