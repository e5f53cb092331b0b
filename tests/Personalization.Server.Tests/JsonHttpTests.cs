using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Google.Protobuf;
using Personalization.Decisioning.Decisions;
using Personalization.Server.Hosting;
using Personalization.Server.Security;
using Personalization.Testing;
using Personalization.V1;
using DecisionMode = Personalization.V1.DecisionMode;

namespace Personalization.Server.Tests;

/// <summary>
/// The same RPCs as JSON over HTTP/1.1 through the real server (gRPC JSON transcoding on the browser port): a Decide
/// posted as JSON gets the answer a gRPC Decide gets, in the contract's JSON shape; the same keys and roles apply; the
/// OpenAPI document lists the routes.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class JsonHttpTests(ServerEnvironment environment)
{
    private static readonly string PublishableKey = $"pk-{Guid.NewGuid():N}";
    private static readonly string AdminKey = $"admin-{Guid.NewGuid():N}";
    private readonly int _httpPort = FreePorts.Next();

    private Dictionary<string, string?> Settings()
    {
        var settings = TestServer.WithKeys(TestServer.Settings(environment.Azurite), ("site", PublishableKey, Roles.Publishable), ("ops", AdminKey, Roles.Admin));
        settings["Browser:Port"] = _httpPort.ToString();
        return settings;
    }

    private static string Visitor()
    {
        string id;
        do
        {
            id = $"v-{Guid.NewGuid():N}";
        }
        while (DecisionEngine.InHoldout("anon:" + id, new DecisionPolicy()));

        return id;
    }

    private async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, IMessage body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{_httpPort}{path}")
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new StringContent(JsonFormatter.Default.Format(body), Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        if (key is not null)
        {
            request.Headers.Add(ApiKeyInterceptor.Header, key);
        }

        return await http.SendAsync(request);
    }

    private static DecideRequest PageDecision(string visitor, string heroOffer, string cartOffer)
    {
        var context = new DecisionContext { Mode = DecisionMode.Inbound, Channels = { Channel.Web }, Device = "mobile", ItemCount = 2, OfferIds = { heroOffer, cartOffer } };
        context.Placements.Add("home-hero");
        context.Placements.Add("cart-items");
        return new DecideRequest { CustomerId = $"anon:{visitor}", Context = context };
    }

    [Fact]
    public async Task ADecidePostedAsJsonGetsTheSameAnswerAsOverGrpcWithTheSameKeysAndRoles()
    {
        await using var server = await TestServer.StartAsync(Settings());
        var admin = server.Channel.Sending(AdminKey);
        var products = new ProductService.ProductServiceClient(admin);
        for (var i = 1; i <= 5; i++)
        {
            await products.UpsertProductAsync(new UpsertProductRequest { Product = new Product { ProductId = $"p-{i}", Name = $"Product {i}", Category = "mugs", Price = i } });
        }

        var offers = new OfferService.OfferServiceClient(admin);
        foreach (var placement in new[] { "home-hero", "cart-items" })
        {
            var offer = new Offer { OfferId = $"o-{placement}", Name = placement, Type = OfferType.Discount, Value = 1, Channels = { Channel.Web } };
            offer.Placements.Add(placement);
            offer.Contents.Add(new OfferContent { Channel = Channel.Web, Template = "{% for item in items %}{{ item.name }};{% endfor %}" });
            await offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer });
        }

        using var http = new HttpClient();
        var visitor = Visitor();
        var track = new TrackRequest { Event = Ev.Anonymous(visitor, EventType.PageView, DateTime.UtcNow) };
        using var tracked = await PostAsync(http, "/v1/track", track, PublishableKey);
        using var decidedOverHttp = await PostAsync(http, "/v1/decide", PageDecision(visitor, "o-home-hero", "o-cart-items"), PublishableKey);
        var json = await decidedOverHttp.Content.ReadAsStringAsync();
        var overGrpc = await new DecisionService.DecisionServiceClient(server.Channel.Sending(PublishableKey)).DecideAsync(PageDecision(Visitor(), "o-home-hero", "o-cart-items"));
        using var withoutKey = await PostAsync(http, "/v1/decide", PageDecision(visitor, "o-home-hero", "o-cart-items"), null);
        using var notAllowed = await PostAsync(http, "/v1/recommend", new RecommendRequest { AnonymousId = visitor, Count = 3 }, PublishableKey);
        using var recommended = await PostAsync(http, "/v1/recommend", new RecommendRequest { AnonymousId = visitor, Count = 3 }, AdminKey);
        using var badCount = await PostAsync(http, "/v1/decide", new DecideRequest { CustomerId = $"anon:{visitor}", Context = new DecisionContext { ItemCount = 99 } }, PublishableKey);
        using var documentResponse = await http.GetAsync($"http://127.0.0.1:{_httpPort}{JsonHttpExtensions.DocumentPath}");
        var document = await documentResponse.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, tracked.StatusCode);
        Assert.True(JsonParser.Default.Parse<TrackResponse>(await tracked.Content.ReadAsStringAsync()).Applied);
        Assert.Equal(HttpStatusCode.OK, decidedOverHttp.StatusCode);
        using (var parsed = JsonDocument.Parse(json))
        {
            // The contract's JSON names (lowerCamelCase), as any HTTP client reads them.
            Assert.Equal("home-hero", parsed.RootElement.GetProperty("placementItems")[0].GetProperty("placement").GetString());
            Assert.Equal(2, parsed.RootElement.GetProperty("placementItems")[0].GetProperty("items").GetArrayLength());
        }

        var overHttp = JsonParser.Default.Parse<DecideResponse>(json);
        Assert.Equal(overGrpc.Actions.Select(a => (a.Placement, a.OfferId, a.Content)), overHttp.Actions.Select(a => (a.Placement, a.OfferId, a.Content)));
        Assert.Equal(
            overGrpc.PlacementItems.Select(p => (p.Placement, string.Join(",", p.Items.Select(i => i.Product.ProductId)))),
            overHttp.PlacementItems.Select(p => (p.Placement, string.Join(",", p.Items.Select(i => i.Product.ProductId)))));
        Assert.Equal(string.Concat(overHttp.PlacementItems[0].Items.Select(i => i.Product.Name + ";")), overHttp.Actions.Single(a => a.Placement == "home-hero").Content);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutKey.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, notAllowed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, recommended.StatusCode);
        Assert.Equal(3, JsonParser.Default.Parse<RecommendResponse>(await recommended.Content.ReadAsStringAsync()).Items.Count);
        Assert.Equal(HttpStatusCode.BadRequest, badCount.StatusCode);
        Assert.Contains("context.item_count", await badCount.Content.ReadAsStringAsync());
        Assert.True(documentResponse.IsSuccessStatusCode, document);
        Assert.Contains("/v1/decide", document);
        Assert.Contains("/v1/track", document);
        Assert.Contains("/v1/recommend", document);
    }
}
