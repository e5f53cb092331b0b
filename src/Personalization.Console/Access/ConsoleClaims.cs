using System.Security.Claims;

namespace Personalization.Console.Access;

/// <summary>
/// What a console session remembers in its (encrypted) cookie: the key (an API-key sign-in) or the person (an
/// OpenID Connect sign-in: the console calls with its key for the person's role and names them), the name and roles
/// shown, the viewer's time zone, the expiry.
/// </summary>
public static class ConsoleClaims
{
    /// <summary>The API key the session calls the server with.</summary>
    public const string ApiKey = "personalization:api-key";

    /// <summary>The viewer's IANA time zone, from the browser at sign-in.</summary>
    public const string TimeZone = "personalization:time-zone";

    /// <summary>When the session ends at the latest (ISO 8601, UTC).</summary>
    public const string Expires = "personalization:expires";

    /// <summary>The person an OpenID Connect session acts for, as the server's audit trail records them.</summary>
    public const string Person = "personalization:person";

    /// <summary>The claims of a new session signed in with an API key.</summary>
    public static ClaimsPrincipal Principal(string keyName, IEnumerable<string> roles, string apiKey, string? timeZone, DateTimeOffset expires) =>
        Session(keyName, roles, timeZone, expires, "api-key", new Claim(ApiKey, apiKey));

    /// <summary>The claims of a new session signed in through OpenID Connect: no key, the person and their mapped roles.</summary>
    public static ClaimsPrincipal PersonPrincipal(string displayName, string person, IEnumerable<string> roles, string? timeZone, DateTimeOffset expires) =>
        Session(displayName, roles, timeZone, expires, "oidc", new Claim(Person, person));

    private static ClaimsPrincipal Session(string name, IEnumerable<string> roles, string? timeZone, DateTimeOffset expires, string kind, Claim credential)
    {
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, name),
            credential,
            new(TimeZone, string.IsNullOrWhiteSpace(timeZone) ? "UTC" : timeZone),
            new(Expires, expires.UtcDateTime.ToString("O")),
        };
        claims.AddRange(roles.Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, kind));
    }

    /// <summary>The roles a session holds.</summary>
    public static IReadOnlyList<string> Roles(ClaimsPrincipal user) => user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList();
}
