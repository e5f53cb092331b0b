namespace Personalization.Decisioning.Customers;

/// <summary>IANA time zones, resolved once each.</summary>
public static class TimeZones
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimeZoneInfo?> Cache = new(StringComparer.Ordinal);

    /// <summary>The zone for an IANA id, or null when the id is unknown.</summary>
    public static TimeZoneInfo? Find(string? id) =>
        string.IsNullOrEmpty(id) ? null : Cache.GetOrAdd(id, static key => TimeZoneInfo.TryFindSystemTimeZoneById(key, out var zone) ? zone : null);

    /// <summary>A UTC time as wall-clock time in a zone (UTC when the zone is unknown); daylight saving applies.</summary>
    public static DateTime Local(DateTime utc, string? zoneId) =>
        Find(zoneId) is { } zone ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone) : utc;

    /// <summary>Hour of week (0 = Monday 00:00) of a UTC time in a zone (UTC when the zone is unknown).</summary>
    public static int HourOfWeek(DateTime utc, string? zoneId)
    {
        var local = Local(utc, zoneId);
        var day = ((int)local.DayOfWeek + 6) % 7;
        return (day * 24) + local.Hour;
    }
}
