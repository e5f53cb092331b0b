using System.Net;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Personalization.Server.Browsers;
using Personalization.Server.Security;
using Personalization.Testing;
using Personalization.V1;
using DecisionMode = Personalization.V1.DecisionMode;
using Outcome = Personalization.V1.Outcome;
using Value = Personalization.V1.Value;

namespace Personalization.Server.Tests;

/// <summary>
/// A web page calling over gRPC-Web (HTTP/1.1, loopback) with a publishable key: anonymous visitors
/// track and decide, a known customer needs the token the site's backend signs, decisions follow
/// placement and device, content comes back rendered, and nothing else is allowed.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class BrowserAccessTests(ServerEnvironment environment)
{
    private const string Origin = "https://shop.example";
    private static readonly string Secret = $"secret-{Guid.NewGuid():N}-{Guid.NewGuid():N}";
    private static readonly string PublishableKey = $"pk-{Guid.NewGuid():N}";
    private static readonly string AdminKey = $"admin-{Guid.NewGuid():N}";
    private readonly int _browserPort = FreePorts.Next();

    private Dictionary<string, string?> Settings()
    {
        var settings = TestServer.WithKeys(TestServer.Settings(environment.Azurite), ("site", PublishableKey, Roles.Publishable), ("ops", AdminKey, Roles.Admin));
        settings["Browser:Port"] = _browserPort.ToString();
        settings["Browser:AllowedOrigins:0"] = Origin;
        settings["Browser:CustomerTokenSecret"] = Secret;
        return settings;
    }

    private GrpcChannel BrowserChannel() => GrpcChannel.ForAddress($"http://127.0.0.1:{_browserPort}", new GrpcChannelOptions
    {
        HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWebText, new HttpClientHandler()),
        HttpVersion = HttpVersion.Version11,
        HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    });

    private static CallInvoker Page(GrpcChannel channel, string? token = null) => channel.Sending(PublishableKey).Intercept(headers =>
    {
        if (token is not null)
        {
            headers.Add(CustomerTokens.Header, token);
        }

        return headers;
    });

    private static async Task CreateOffersAsync(TestServer server)
    {
        var offers = new OfferService.OfferServiceClient(server.Channel.Sending(AdminKey));
        Offer Hero(string id, string device, double value)
        {
            var offer = new Offer { OfferId = id, Name = id, Type = OfferType.Discount, Value = value, Reward = 10, Channels = { Channel.Web }, EligibilityRule = $"context.device = '{device}'" };
            offer.Placements.Add("home-hero");
            offer.Contents.Add(new OfferContent { Channel = Channel.Web, Template = $"<h1>{{{{ traits.first_name | default: 'Hello' }}}}, {{{{ offer.reward }}}} off on {device}</h1>" });
            return offer;
        }

        await offers.CreateOfferAsync(new CreateOfferRequest { Offer = Hero("hero-mobile", "mobile", 10) });
        await offers.CreateOfferAsync(new CreateOfferRequest { Offer = Hero("hero-desktop", "desktop", 10) });
        var cart = new Offer { OfferId = "cart-shipping", Name = "free shipping", Type = OfferType.Informational, Value = 5, Channels = { Channel.Web } };
        cart.Placements.Add("cart-banner");
        cart.Contents.Add(new OfferContent { Placement = "cart-banner", Template = "Free shipping over {{ context.attributes.threshold }} on {{ context.page }}" });
        await offers.CreateOfferAsync(new CreateOfferRequest { Offer = cart });
    }

    private static DecideRequest PageDecision(string customerId, string device)
    {
        var context = new DecisionContext { Mode = DecisionMode.Inbound, Device = device, Page = "/home", Channels = { Channel.Web } };
        context.Placements.Add("home-hero");
        context.Placements.Add("cart-banner");
        context.Attributes["threshold"] = new Value { IntValue = 50 };
        return new DecideRequest { CustomerId = customerId, Context = context };
    }

    [Fact]
    public async Task AnAnonymousVisitorTracksAndGetsRenderedContentPerPlacementAndDevice()
    {
        await using var server = await TestServer.StartAsync(Settings());
        await CreateOffersAsync(server);
        using var browser = BrowserChannel();
        var visitor = TestCustomers.Treated("v-", keyPrefix: "anon:");

        var tracked = await new EventService.EventServiceClient(Page(browser)).TrackAsync(new TrackRequest { Event = Ev.Anonymous(visitor, EventType.PageView, DateTime.UtcNow) });
        var phone = await new DecisionService.DecisionServiceClient(Page(browser)).DecideAsync(PageDecision($"anon:{visitor}", "mobile"));
        var desktop = await new DecisionService.DecisionServiceClient(Page(browser)).DecideAsync(PageDecision($"anon:{visitor}", "desktop"));

        Assert.True(tracked.Applied);
        Assert.Equal(
            [("home-hero", "hero-mobile", "<h1>Hello, 10 off on mobile</h1>"), ("cart-banner", "cart-shipping", "Free shipping over 50 on /home")],
            phone.Actions.Select(a => (a.Placement, a.OfferId, a.Content)));
        Assert.Equal("hero-desktop", desktop.Actions.Single(a => a.Placement == "home-hero").OfferId);
        Assert.Empty(phone.Suppressions);
    }

    [Fact]
    public async Task AKnownCustomerNeedsAValidTokenFromTheSitesBackend()
    {
        await using var server = await TestServer.StartAsync(Settings());
        await CreateOffersAsync(server);
        using var browser = BrowserChannel();
        var customer = TestCustomers.Treated("c-");
        await new EventService.EventServiceClient(server.Channel.Sending(AdminKey)).TrackAsync(new TrackRequest { Event = Ev.Traits(customer, DateTime.UtcNow, ("first_name", new Value { StringValue = "Ada" })) });
        var valid = CustomerTokens.Sign(customer, DateTimeOffset.UtcNow.AddMinutes(30), Secret);

        var withoutToken = await Assert.ThrowsAsync<RpcException>(async () => await new DecisionService.DecisionServiceClient(Page(browser)).DecideAsync(PageDecision(customer, "mobile")));
        var otherCustomersToken = await Assert.ThrowsAsync<RpcException>(async () => await new DecisionService.DecisionServiceClient(Page(browser, CustomerTokens.Sign("someone-else", DateTimeOffset.UtcNow.AddMinutes(30), Secret))).DecideAsync(PageDecision(customer, "mobile")));
        var expired = await Assert.ThrowsAsync<RpcException>(async () => await new DecisionService.DecisionServiceClient(Page(browser, CustomerTokens.Sign(customer, DateTimeOffset.UtcNow.AddMinutes(-1), Secret))).DecideAsync(PageDecision(customer, "mobile")));
        var trackWithout = await Assert.ThrowsAsync<RpcException>(async () => await new EventService.EventServiceClient(Page(browser)).TrackAsync(new TrackRequest { Event = Ev.Session(customer, DateTime.UtcNow) }));
        var decided = await new DecisionService.DecisionServiceClient(Page(browser, valid)).DecideAsync(PageDecision(customer, "mobile"));
        var tracked = await new EventService.EventServiceClient(Page(browser, valid)).TrackAsync(new TrackRequest { Event = Ev.Session(customer, DateTime.UtcNow) });

        Assert.All([withoutToken, otherCustomersToken, expired, trackWithout], ex => Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode));
        Assert.StartsWith($"{CustomerTokens.Header}: publishable key 'site' may act for customer '{customer}' only with a valid customer token", withoutToken.Status.Detail);
        Assert.EndsWith("(token expired).", expired.Status.Detail);
        Assert.Equal("<h1>Ada, 10 off on mobile</h1>", decided.Actions.Single(a => a.Placement == "home-hero").Content);
        Assert.True(tracked.Applied);
    }

    [Fact]
    public async Task APublishableKeyMayOnlyTrackAndDecide()
    {
        await using var server = await TestServer.StartAsync(Settings());
        using var browser = BrowserChannel();

        var profile = await Assert.ThrowsAsync<RpcException>(async () => await new ProfileService.ProfileServiceClient(Page(browser)).GetProfileAsync(new GetProfileRequest { CustomerId = "anon:x" }));
        var offer = await Assert.ThrowsAsync<RpcException>(async () => await new OfferService.OfferServiceClient(Page(browser)).ListOffersAsync(new ListOffersRequest()));
        var outcome = await Assert.ThrowsAsync<RpcException>(async () => await new DecisionService.DecisionServiceClient(Page(browser)).RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = "anon:x", DecisionId = "d", OfferId = "o", Outcome = Outcome.Shown }));
        var batch = await Assert.ThrowsAsync<RpcException>(async () => await new EventService.EventServiceClient(Page(browser)).TrackBatchAsync(new TrackBatchRequest()));

        Assert.All([profile, offer, outcome, batch], ex => Assert.Equal(StatusCode.PermissionDenied, ex.StatusCode));
    }

    [Fact]
    public async Task OnlyAllowedOriginsPassTheCorsPreflight()
    {
        await using var server = await TestServer.StartAsync(Settings());
        using var http = new HttpClient();

        async Task<string?> AllowedOrigin(string origin)
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, $"http://127.0.0.1:{_browserPort}/personalization.v1.DecisionService/Decide");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "content-type,x-grpc-web,x-api-key");
            using var response = await http.SendAsync(preflight);
            return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
        }

        Assert.Equal(Origin, await AllowedOrigin(Origin));
        Assert.Null(await AllowedOrigin("https://evil.example"));
    }
}
