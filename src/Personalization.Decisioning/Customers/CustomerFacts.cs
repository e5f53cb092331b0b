namespace Personalization.Decisioning.Customers;

/// <summary>Facts derived from a customer's state at a given moment (rolling windows, consent, caps).</summary>
public static class CustomerFacts
{
    /// <summary>Sessions started in the <paramref name="days"/> days up to and including <paramref name="now"/>'s day.</summary>
    public static int SessionsInLast(this CustomerState state, int days, DateTime now) =>
        InWindow(state, days, now).Sum(d => d.Sessions);

    /// <summary>Views in the <paramref name="days"/> days up to and including <paramref name="now"/>'s day.</summary>
    public static int ViewsInLast(this CustomerState state, int days, DateTime now) =>
        InWindow(state, days, now).Sum(d => d.Views);

    /// <summary>Purchases in the <paramref name="days"/> days up to and including <paramref name="now"/>'s day.</summary>
    public static int PurchasesInLast(this CustomerState state, int days, DateTime now) =>
        InWindow(state, days, now).Sum(d => d.Purchases);

    /// <summary>Messages sent on a channel in the window ending at <paramref name="now"/> (from the recent sends kept).</summary>
    public static int SentInLast(this CustomerState state, Channel channel, TimeSpan window, DateTime now) =>
        state.Peek(channel).RecentSends.Count(at => at > now - window && at <= now);

    /// <summary>Whether the customer consents to <paramref name="purpose"/> on a channel and it is neither suppressed nor unreachable.</summary>
    public static bool CanContact(this CustomerState state, Channel channel, string purpose = CustomerEvents.DefaultPurpose)
    {
        var c = state.Peek(channel);
        return c.Reachable && c.SuppressedReason is null && c.Consent.TryGetValue(purpose, out var consent) && consent.Granted;
    }

    /// <summary>Whole days since the last purchase at <paramref name="now"/>; null when there was none.</summary>
    public static int? DaysSinceLastPurchase(this CustomerState state, DateTime now) =>
        state.Behaviour.LastPurchaseAt == default ? null : (int)(now - state.Behaviour.LastPurchaseAt).TotalDays;

    private static IEnumerable<DailyActivity> InWindow(CustomerState state, int days, DateTime now)
    {
        var today = CustomerEvents.DayNumber(now);
        return state.Behaviour.Days.Where(d => d.Day > today - days && d.Day <= today);
    }
}
