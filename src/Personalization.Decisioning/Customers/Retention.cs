namespace Personalization.Decisioning.Customers;

/// <summary>
/// When a profile has been kept long enough (README: Security, retention): a known customer with no event
/// for <c>inactiveMonths</c> months, an anonymous visitor with none for <c>visitorDays</c> days (0: kept).
/// Measured from the latest event's time. A visitor merged into a known customer is only a pointer to it
/// and goes when that customer goes.
/// </summary>
public static class Retention
{
    /// <summary>Whether <paramref name="state"/> is due for erasure at <paramref name="now"/>.</summary>
    public static bool IsExpired(CustomerState state, bool anonymous, DateTime now, int inactiveMonths, int visitorDays)
    {
        if (state.IsEmpty || state.MergedInto is not null)
        {
            return false;
        }

        return anonymous
            ? visitorDays > 0 && state.LastSeenAt < now.AddDays(-visitorDays)
            : inactiveMonths > 0 && state.LastSeenAt < now.AddMonths(-inactiveMonths);
    }
}
