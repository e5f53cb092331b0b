using System.Globalization;
using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Journeys;

/// <summary>
/// Yearly date entries (birthday, membership anniversary), in the customer's time zone. Pure: the
/// next moment a customer is due to enter, and whether it is due now. A customer enters at most once
/// per local date: an enrollment entered on today's local date blocks a second entry, and the
/// enrollment is logged with the entry, so a restart replays it before the date is looked at again.
/// A date that passed while nothing woke the customer (the service down all day) is not caught up:
/// a birthday greeting a day late is not a birthday greeting.
/// </summary>
public static class JourneyDates
{
    /// <summary>The month and day of a date trait: a time, or text as yyyy-MM-dd or MM-dd; null when absent or unreadable.</summary>
    public static (int Month, int Day)? MonthDay(CustomerState state, string trait)
    {
        if (!state.Traits.TryGetValue(trait, out var entry))
        {
            return null;
        }

        var value = entry.Value;
        if (value.Kind == TraitKind.Time)
        {
            return (value.Time.Month, value.Time.Day);
        }

        var text = value.Text ?? "";
        if (DateTime.TryParseExact(text, ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var date))
        {
            return (date.Month, date.Day);
        }

        return text.Length == 5 && DateTime.TryParseExact($"2000-{text}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var leap)
            ? (leap.Month, leap.Day)
            : null;
    }

    /// <summary>
    /// When the customer is next due to enter <paramref name="journey"/> (a yearly-date journey), in UTC:
    /// today's entry moment (or now, when it passed today and today's entry has not happened), else
    /// next year's; null when the customer has no such date or may never enter again.
    /// </summary>
    public static DateTime? NextEntry(CustomerState state, JourneyDefinition journey, DateTime now)
    {
        if (MonthDay(state, journey.EntryDateTrait) is not { } date)
        {
            return null;
        }

        var previous = JourneySteps.Of(state, journey.JourneyId);
        // Still in last year's enrollment: that enrollment's own due time wakes the customer.
        if (previous is not null && (previous.Active || journey.ReEntry == ReEntryPolicy.Never))
        {
            return null;
        }

        var local = TimeZones.Local(now, state.TimeZone);
        for (var year = local.Year; year <= local.Year + 1; year++)
        {
            var day = On(year, date);
            if (day < local.Date || (day == local.Date && EnteredOn(state, previous, day)))
            {
                continue;
            }

            var at = Utc(day + journey.EntryLocalTime, state.TimeZone);
            var due = at < now ? now : at;
            if (previous is { } limited && journey.MaxEntries > 0 && limited.Number >= journey.MaxEntries)
            {
                return null; // the entry limit is reached: no date enters again
            }

            if (previous is { } p && journey.ReEntry == ReEntryPolicy.AfterPeriod && p.EnteredAt + journey.ReEntryAfter > due)
            {
                continue; // re-entry by period: not before the period has passed since the last entry
            }

            return due;
        }

        return null;
    }

    /// <summary>Whether the customer is due to enter the yearly-date journey at <paramref name="now"/>.</summary>
    public static bool Due(CustomerState state, JourneyDefinition journey, DateTime now) =>
        NextEntry(state, journey, now) is { } due && due <= now
        && TimeZones.Local(due, state.TimeZone).Date == TimeZones.Local(now, state.TimeZone).Date
        && JourneySteps.MayEnter(JourneySteps.Of(state, journey.JourneyId), journey, now);

    // 29 February falls on the 28th in other years.
    private static DateTime On(int year, (int Month, int Day) date) =>
        new(year, date.Month, Math.Min(date.Day, DateTime.DaysInMonth(year, date.Month)), 0, 0, 0, DateTimeKind.Unspecified);

    private static bool EnteredOn(CustomerState state, Enrollment? previous, DateTime localDay) =>
        previous is not null && TimeZones.Local(previous.EnteredAt, state.TimeZone).Date == localDay;

    /// <summary>A wall-clock time in a zone (UTC when unknown) as UTC; a time skipped by a daylight-saving jump is taken an hour later.</summary>
    internal static DateTime Utc(DateTime local, string? zoneId)
    {
        if (TimeZones.Find(zoneId) is not { } zone)
        {
            return DateTime.SpecifyKind(local, DateTimeKind.Utc);
        }

        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return zone.IsInvalidTime(unspecified)
            ? TimeZoneInfo.ConvertTimeToUtc(unspecified.AddHours(1), zone)
            : TimeZoneInfo.ConvertTimeToUtc(unspecified, zone);
    }
}
