using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Personalization.Console.Access;
using Personalization.Console.Api;
using Personalization.V1;

namespace Personalization.Console.Hosting;

/// <summary>
/// OpenID Connect sign-in (when <c>Console:Oidc:Authority</c> is set): the authorization-code flow with PKCE
/// against the configured identity provider; the person's groups map to console roles; a person with no mapped
/// group, or a console key that would give more than the mapped role, is refused with a page that says why;
/// otherwise the session holds the person and their roles (never a key) and lasts like an API-key session.
/// </summary>
public static class OidcSignIn
{
    /// <summary>The authentication scheme's name.</summary>
    public const string Scheme = OpenIdConnectDefaults.AuthenticationScheme;

    /// <summary>Where the sign-in page's button posts to start a sign-in at the identity provider.</summary>
    public const string StartPath = "/signin/oidc";

    private const string TimeZoneItem = "personalization.time-zone";

    /// <summary>Adds the OpenID Connect handler, signing in to the console's cookie.</summary>
    public static AuthenticationBuilder AddConsoleOidc(this AuthenticationBuilder authentication, ConsoleSettings settings)
    {
        var oidc = settings.Oidc;
        return authentication.AddOpenIdConnect(Scheme, options =>
        {
            options.SignInScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            options.Authority = oidc.Authority;
            options.ClientId = oidc.ClientId;
            options.ClientSecret = oidc.ClientSecret.Length > 0 ? oidc.ClientSecret : null;
            options.RequireHttpsMetadata = oidc.RequireHttpsMetadata;
            options.ResponseType = OpenIdConnectResponseType.Code;
            options.UsePkce = true;
            // The answer comes back as a top-level GET, so the correlation and nonce cookies can be SameSite=Lax
            // (a cross-site form post would carry only SameSite=None cookies, which browsers keep only over https).
            options.ResponseMode = OpenIdConnectResponseMode.Query;
            options.CorrelationCookie.SameSite = SameSiteMode.Lax;
            options.NonceCookie.SameSite = SameSiteMode.Lax;
            options.MapInboundClaims = false;
            options.SaveTokens = false;
            options.GetClaimsFromUserInfoEndpoint = false;
            options.Scope.Clear();
            options.Scope.Add("openid");
            options.Scope.Add("profile");
            options.Scope.Add("email");
            options.Events.OnTokenValidated = context => SignedInAsync(context, settings);
            options.Events.OnRemoteFailure = context =>
            {
                context.Response.Redirect("/signin?Refused=failed");
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
    }

    /// <summary>Maps the endpoint the sign-in page's button posts to (anti-forgery checked) and that sends the browser to the identity provider.</summary>
    public static void MapConsoleOidc(this WebApplication app) =>
        app.MapPost(StartPath, async (HttpContext context, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest("The sign-in form's anti-forgery token is missing or wrong.");
            }

            var form = await context.Request.ReadFormAsync();
            var properties = new AuthenticationProperties { RedirectUri = ReturnPath.Safe(form["ReturnUrl"]) };
            properties.Items[TimeZoneItem] = form["TimeZone"].ToString();
            return Results.Challenge(properties, [Scheme]);
        }).DisableAntiforgery();

    // The identity token is valid: map the person's groups to roles, check the console's keys, make the session.
    private static async Task SignedInAsync(TokenValidatedContext context, ConsoleSettings settings)
    {
        var oidc = settings.Oidc;
        var token = context.Principal!;
        var subject = token.FindFirst("sub")?.Value ?? "";
        var person = PersonRoles.Person(token.FindFirst(oidc.PersonClaim)?.Value, subject);
        var groups = token.FindAll(oidc.GroupsClaim).Select(c => c.Value).ToList();
        var roles = PersonRoles.Map(groups, oidc.GroupRoles);
        if (roles.Count == 0)
        {
            Refuse(context, $"Refused=unmapped&Who={Uri.EscapeDataString(Cut(person))}&Groups={Uri.EscapeDataString(Cut(string.Join(", ", groups)))}");
            return;
        }

        // Each key the person would call with must hold no more than its role; the call also records the sign-in,
        // naming the person, in the server's audit trail.
        var channel = context.HttpContext.RequestServices.GetRequiredService<GrpcChannel>();
        foreach (var role in roles)
        {
            try
            {
                var access = new AccessService.AccessServiceClient(ServerApi.WithKey(channel, oidc.RoleKeys[role], person));
                var caller = await access.GetCallerAsync(new GetCallerRequest(), deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: context.HttpContext.RequestAborted);
                if (PersonRoles.Exceeds(role, caller.Roles))
                {
                    Refuse(context, $"Refused=key&Role={Uri.EscapeDataString(role)}");
                    return;
                }
            }
            catch (RpcException)
            {
                Refuse(context, $"Refused=key&Role={Uri.EscapeDataString(role)}");
                return;
            }
        }

        var expires = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow().AddMinutes(settings.SessionMinutes);
        var shown = token.FindFirst("name")?.Value is { Length: > 0 } name ? name : person;
        context.Principal = ConsoleClaims.PersonPrincipal(shown, person, roles, context.Properties?.Items.TryGetValue(TimeZoneItem, out var zone) == true ? zone : null, expires);
        if (context.Properties is { } properties)
        {
            properties.ExpiresUtc = expires;
            properties.IsPersistent = false;
            properties.Items.Remove(TimeZoneItem);
        }
    }

    private static void Refuse(TokenValidatedContext context, string query)
    {
        context.Response.Redirect($"/signin?{query}");
        context.HandleResponse();
    }

    private static string Cut(string text) => text.Length > 200 ? text[..200] + "…" : text;
}
