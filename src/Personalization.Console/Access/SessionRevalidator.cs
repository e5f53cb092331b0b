using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace Personalization.Console.Access;

/// <summary>Ends an open screen's session when its time is up, as the cookie would on the next page load.</summary>
public sealed class SessionRevalidator(ILoggerFactory loggers, TimeProvider time) : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        Task.FromResult(IsCurrent(authenticationState.User, time.GetUtcNow()));

    /// <summary>Whether a session is still within its expiry.</summary>
    public static bool IsCurrent(ClaimsPrincipal user, DateTimeOffset now) =>
        user.FindFirst(ConsoleClaims.Expires)?.Value is { } value
        && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)
        && now < expires;
}
