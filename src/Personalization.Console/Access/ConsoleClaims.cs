using System.Security.Claims;

namespace Personalization.Console.Access;

/// <summary>What a console session remembers in its (encrypted) cookie: the key, its name and roles, the viewer's time zone, the expiry.</summary>
public static class ConsoleClaims
{
    /// <summary>The API key the session calls the server with.</summary>
    public const string ApiKey = "personalization:api-key";

    /// <summary>The viewer's IANA time zone, from the browser at sign-in.</summary>
    public const string TimeZone = "personalization:time-zone";

    /// <summary>When the session ends at the latest (ISO 8601, UTC).</summary>
    public const string Expires = "personalization:expires";

    /// <summary>The claims of a new session.</summary>
    public static ClaimsPrincipal Principal(string keyName, IEnumerable<string> roles, string apiKey, string? timeZone, DateTimeOffset expires)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, keyName),
            new(ApiKey, apiKey),
            new(TimeZone, string.IsNullOrWhiteSpace(timeZone) ? "UTC" : timeZone),
            new(Expires, expires.UtcDateTime.ToString("O")),
        };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "api-key"));
    }

    /// <summary>The roles a session holds.</summary>
    public static IReadOnlyList<string> Roles(ClaimsPrincipal user) => user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
}
