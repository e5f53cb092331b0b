using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Components.Authorization;
using Personalization.Console.Access;
using Personalization.V1;

namespace Personalization.Console.Api;

/// <summary>
/// The server's public gRPC API as the signed-in person calls it: every call carries the session's key,
/// so the server decides what is allowed, exactly as for the CLI.
/// </summary>
public sealed class ServerApi(GrpcChannel channel, AuthenticationStateProvider authentication)
{
    /// <summary>The header that carries the key (the server's ApiKeyInterceptor reads it).</summary>
    public const string KeyHeader = "x-api-key";

    private CallInvoker? _invoker;

    /// <summary>A call invoker that sends <paramref name="key"/> on every call.</summary>
    public static CallInvoker WithKey(ChannelBase channel, string key) => channel.Intercept(headers =>
    {
        headers.Add(KeyHeader, key);
        return headers;
    });

    /// <summary>Segments: rules, validation, preview, membership.</summary>
    public async Task<SegmentService.SegmentServiceClient> SegmentsAsync() => new(await InvokerAsync());

    /// <summary>Offers: the library.</summary>
    public async Task<OfferService.OfferServiceClient> OffersAsync() => new(await InvokerAsync());

    /// <summary>Campaigns: create, run, watch, results.</summary>
    public async Task<CampaignService.CampaignServiceClient> CampaignsAsync() => new(await InvokerAsync());

    /// <summary>Journeys: definitions, state, per-step counts.</summary>
    public async Task<JourneyService.JourneyServiceClient> JourneysAsync() => new(await InvokerAsync());

    /// <summary>KPI reports: sends, opens, clicks, conversions and revenue by campaign, journey, offer, channel.</summary>
    public async Task<ReportService.ReportServiceClient> ReportsAsync() => new(await InvokerAsync());

    /// <summary>Customer profiles (admin).</summary>
    public async Task<ProfileService.ProfileServiceClient> ProfilesAsync() => new(await InvokerAsync());

    /// <summary>Model versions and results (data scientist).</summary>
    public async Task<ModelService.ModelServiceClient> ModelsAsync() => new(await InvokerAsync());

    private async Task<CallInvoker> InvokerAsync()
    {
        if (_invoker is null)
        {
            var state = await authentication.GetAuthenticationStateAsync();
            var key = state.User.FindFirst(ConsoleClaims.ApiKey)?.Value ?? "";
            _invoker = WithKey(channel, key);
        }

        return _invoker;
    }
}
