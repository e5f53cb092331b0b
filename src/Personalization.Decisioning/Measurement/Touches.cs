using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;

namespace Personalization.Decisioning.Measurement;

/// <summary>
/// Keeps a customer's recent touches (pure): every message sent, delivered (or inbound offer shown),
/// opened or clicked, with the campaign and offer it carried, newest last, for at most
/// <see cref="AttributionSettings.MaxWindowDays"/> days and <see cref="Kept"/> touches, so the longest
/// attribution window can be applied at any conversion. Null for a customer never touched.
/// </summary>
public static class Touches
{
    /// <summary>The most touches a customer keeps: the oldest go first.</summary>
    public const int Kept = 16;

    /// <summary>
    /// Records the touch a message event (a connector's or a joined outcome's) stands for, taking the
    /// campaign and offer from the event or else from the decision it names; returns it, or null when the
    /// event is no touch (not a message event, a bounce, a conversion).
    /// </summary>
    public static Touch? Observe(CustomerState state, CustomerEvent e)
    {
        TouchKind? kind = e.Type switch
        {
            CustomerEventType.MessageSent => TouchKind.Sent,
            CustomerEventType.MessageDelivered => TouchKind.Delivered,
            CustomerEventType.MessageOpened => TouchKind.Opened,
            CustomerEventType.MessageClicked => TouchKind.Clicked,
            _ => null,
        };
        if (kind is not { } k)
        {
            return null;
        }

        var decision = string.IsNullOrEmpty(e.DecisionId) ? null : DecisionMemory.Find(state, e.DecisionId, e.OfferId);
        var touch = new Touch(
            e.OccurredAt,
            k,
            decision?.Channel ?? e.Channel,
            NullIfEmpty(e.CampaignId) ?? decision?.CampaignId,
            decision?.JourneyId,
            NullIfEmpty(e.OfferId) ?? decision?.OfferId);
        Add(state, touch, e.OccurredAt);
        return touch;
    }

    /// <summary>The touch an outcome joined to a decision through <c>RecordOutcome</c> stands for; null for a conversion or a dismissal.</summary>
    public static Touch? FromOutcome(DecisionRecord decision, Outcome outcome, DateTime at)
    {
        TouchKind? kind = outcome switch
        {
            Outcome.Shown => TouchKind.Delivered,
            Outcome.Opened => TouchKind.Opened,
            Outcome.Clicked => TouchKind.Clicked,
            _ => null,
        };
        return kind is { } k ? new Touch(at, k, decision.Channel, decision.CampaignId, decision.JourneyId, decision.OfferId) : null;
    }

    /// <summary>Adds a touch in time order and forgets those older than the longest window before <paramref name="now"/> or beyond <see cref="Kept"/>.</summary>
    public static void Add(CustomerState state, Touch touch, DateTime now)
    {
        var touches = state.Touches ??= [];
        var index = touches.FindLastIndex(t => t.At <= touch.At) + 1;
        touches.Insert(index, touch);
        var oldest = now - TimeSpan.FromDays(AttributionSettings.MaxWindowDays);
        touches.RemoveAll(t => t.At < oldest);
        if (touches.Count > Kept)
        {
            touches.RemoveRange(0, touches.Count - Kept);
        }
    }

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
