using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Components.Authorization;
using Personalization.Console.Access;
using Personalization.Console.Hosting;
using Personalization.V1;

namespace Personalization.Console.Api;

/// <summary>
/// The server's public gRPC API as the signed-in person calls it: every call carries the session's key,
/// so the server decides what is allowed, exactly as for the CLI. A person signed in through OpenID Connect
/// has no key of their own: each call carries the console's key for the role the service needs (when the
/// person holds it; see <see cref="PersonRoles.KeyRole"/>) and names the person in <c>x-on-behalf-of</c>.
/// </summary>
public sealed class ServerApi(GrpcChannel channel, AuthenticationStateProvider authentication, ConsoleSettings settings)
{
    /// <summary>The header that carries the key (the server's ApiKeyInterceptor reads it).</summary>
    public const string KeyHeader = "x-api-key";

    /// <summary>The header that names the person a console key acts for (the server's audit trail records it).</summary>
    public const string OnBehalfOfHeader = "x-on-behalf-of";

    private readonly Dictionary<string, CallInvoker> _invokers = new(StringComparer.Ordinal);

    /// <summary>A call invoker that sends <paramref name="key"/> on every call, naming <paramref name="person"/> when given.</summary>
    public static CallInvoker WithKey(ChannelBase channel, string key, string? person = null) => channel.Intercept(headers =>
    {
        headers.Add(KeyHeader, key);
        if (person is not null)
        {
            headers.Add(OnBehalfOfHeader, person);
        }

        return headers;
    });

    /// <summary>Segments: rules, validation, preview, membership.</summary>
    public async Task<SegmentService.SegmentServiceClient> SegmentsAsync() => new(await InvokerAsync("campaign-manager"));

    /// <summary>Offers: the library.</summary>
    public async Task<OfferService.OfferServiceClient> OffersAsync() => new(await InvokerAsync("campaign-manager"));

    /// <summary>Campaigns: create, run, watch, results.</summary>
    public async Task<CampaignService.CampaignServiceClient> CampaignsAsync() => new(await InvokerAsync("campaign-manager"));

    /// <summary>Journeys: definitions, state, per-step counts.</summary>
    public async Task<JourneyService.JourneyServiceClient> JourneysAsync() => new(await InvokerAsync("campaign-manager"));

    /// <summary>KPI reports: sends, opens, clicks, conversions and revenue by campaign, journey, offer, channel.</summary>
    public async Task<ReportService.ReportServiceClient> ReportsAsync() => new(await InvokerAsync("campaign-manager"));

    /// <summary>Customer profiles (admin).</summary>
    public async Task<ProfileService.ProfileServiceClient> ProfilesAsync() => new(await InvokerAsync(ScreenAccess.Admin));

    /// <summary>Model versions and results (data scientist).</summary>
    public async Task<ModelService.ModelServiceClient> ModelsAsync() => new(await InvokerAsync("data-scientist"));

    // The role is the one the server's service needs (Roles.Required); an API-key session ignores it.
    private async Task<CallInvoker> InvokerAsync(string required)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var role = user.FindFirst(ConsoleClaims.ApiKey) is null ? PersonRoles.KeyRole(ConsoleClaims.Roles(user), required) ?? "" : "";
        if (!_invokers.TryGetValue(role, out var invoker))
        {
            invoker = user.FindFirst(ConsoleClaims.ApiKey)?.Value is { } key
                ? WithKey(channel, key)
                : WithKey(channel, settings.Oidc.RoleKeys.GetValueOrDefault(role, ""), user.FindFirst(ConsoleClaims.Person)?.Value ?? "");
            _invokers[role] = invoker;
        }

        return invoker;
    }
}
