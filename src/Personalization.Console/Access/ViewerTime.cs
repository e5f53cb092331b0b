using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Components.Authorization;

namespace Personalization.Console.Access;

/// <summary>Shows server times in the viewer's own time zone (the browser's, remembered at sign-in).</summary>
public sealed class ViewerTime(AuthenticationStateProvider authentication)
{
    private TimeZoneInfo? _zone;

    /// <summary>The viewer's zone (UTC until known).</summary>
    public async Task<TimeZoneInfo> ZoneAsync()
    {
        if (_zone is null)
        {
            var state = await authentication.GetAuthenticationStateAsync();
            _zone = Find(state.User.FindFirst(ConsoleClaims.TimeZone)?.Value);
        }

        return _zone;
    }

    /// <summary>A time zone by IANA id; UTC when unknown.</summary>
    public static TimeZoneInfo Find(string? id)
    {
        if (!string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            return zone;
        }

        return TimeZoneInfo.Utc;
    }

    /// <summary>A time as the viewer reads it ("2026-11-29 23:10 Europe/Paris"); a dash when unset.</summary>
    public static string Format(Timestamp? timestamp, TimeZoneInfo zone)
    {
        if (timestamp is null || (timestamp.Seconds == 0 && timestamp.Nanos == 0))
        {
            return "—";
        }

        var local = TimeZoneInfo.ConvertTime(timestamp.ToDateTimeOffset(), zone);
        return $"{local:yyyy-MM-dd HH:mm} {zone.Id}";
    }
}
