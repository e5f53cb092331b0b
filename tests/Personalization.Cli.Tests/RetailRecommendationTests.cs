using System.Net;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Personalization.Server.Security;
using Personalization.Testing;
using Personalization.V1;
using DecisionMode = Personalization.V1.DecisionMode;

namespace Personalization.Cli.Tests;

/// <summary>
/// Issue #18's done-when test, one path through a real server with access control and a browser port: the CLI imports a
/// slice of the real Online Retail data through the public API (products, customers, purchases; the first 3,000 rows,
/// because the whole 541,909 take minutes); then a shopper over gRPC (app key) and a visitor over gRPC-Web (HTTP/1.1,
/// publishable key, as a web page calls) browse and buy. Decisions differ by placement and device as the offers say,
/// content comes back rendered with the recommended items, and the items leave out what was bought. Recommendations stay
/// full for strangers and newcomers, follow the latest view and never repeat across pages.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class RetailRecommendationTests(ServerEnvironment environment)
{
    // WHITE HANGING HEART T-LIGHT HOLDER: the first line of the data, bought with many others on its first day.
    private const string Heart = "85123A";
    private const string ItemsTemplate = "{% for item in items %}{{ item.name }}|{% endfor %}";
    private const string Origin = "https://shop.example";

    private static readonly string Slice = Path.Combine(RepositoryPaths.Root, "models", "data", "online-retail", "online-retail-first-3000-rows.csv");
    private static readonly string AdminKey = $"admin-{Guid.NewGuid():N}";
    private static readonly string AppKey = $"app-{Guid.NewGuid():N}";
    private static readonly string PublishableKey = $"pk-{Guid.NewGuid():N}";
    private static readonly string Secret = $"secret-{Guid.NewGuid():N}-{Guid.NewGuid():N}";

    private readonly int _browserPort = FreePorts.Next();

    private Dictionary<string, string?> Settings()
    {
        var settings = TestServer.WithKeys(
            TestServer.Settings(environment.Azurite),
            ("ops", AdminKey, Roles.Admin),
            ("backend", AppKey, Roles.App),
            ("site", PublishableKey, Roles.Publishable));
        settings["Browser:Port"] = _browserPort.ToString();
        settings["Browser:AllowedOrigins:0"] = Origin;
        settings["Browser:CustomerTokenSecret"] = Secret;
        return settings;
    }

    /// <summary>A web page's channel: gRPC-Web text over HTTP/1.1 to the browser port, carrying the publishable key.</summary>
    private (GrpcChannel Channel, CallInvoker Invoker) Browser()
    {
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{_browserPort}", new GrpcChannelOptions
        {
            HttpHandler = new GrpcWebHandler(GrpcWebMode.GrpcWebText, new HttpClientHandler()),
            HttpVersion = HttpVersion.Version11,
            HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        });
        return (channel, channel.Sending(PublishableKey));
    }

    private static async Task CreateOffersAsync(CallInvoker admin)
    {
        var offers = new OfferService.OfferServiceClient(admin);
        foreach (var device in new[] { "mobile", "desktop" })
        {
            var hero = new Offer { OfferId = $"hero-{device}", Name = $"hero {device}", Type = OfferType.Discount, Value = 10, Reward = 10, Channels = { Channel.Web }, EligibilityRule = $"context.device = '{device}'" };
            hero.Placements.Add("home-hero");
            hero.Contents.Add(new OfferContent { Channel = Channel.Web, Template = $"<h1>{{{{ offer.reward }}}} off on {device}</h1>" });
            await offers.CreateOfferAsync(new CreateOfferRequest { Offer = hero });
        }

        var below = new Offer { OfferId = "pdp-picks", Name = "picks", Type = OfferType.Informational, Value = 5, Channels = { Channel.Web } };
        below.Placements.Add("pdp-below");
        below.Contents.Add(new OfferContent { Channel = Channel.Web, Placement = "pdp-below", Template = ItemsTemplate });
        await offers.CreateOfferAsync(new CreateOfferRequest { Offer = below });
    }

    private static Event NewEvent(string? customer, string? visitor, EventType type)
    {
        var e = new Event { EventId = Guid.NewGuid().ToString("N"), Type = type, Channel = Channel.Web, OccurredAt = Timestamp.FromDateTime(DateTime.UtcNow) };
        if (customer is not null)
        {
            e.CustomerId = customer;
        }
        else
        {
            e.AnonymousId = visitor!;
        }

        return e;
    }

    private static Event View(string? customer, string? visitor, string product)
    {
        var e = NewEvent(customer, visitor, EventType.ProductView);
        e.Product = new ProductDetail { ProductId = product };
        return e;
    }

    private static Event Purchase(string? customer, string? visitor, string product)
    {
        var e = NewEvent(customer, visitor, EventType.Purchase);
        e.Purchase = new PurchaseDetail
        {
            OrderId = Guid.NewGuid().ToString("N"),
            Total = new Money { Amount = 5, Currency = "GBP" },
            Items = { new LineItem { ProductId = product, Quantity = 1, UnitPrice = new Money { Amount = 5, Currency = "GBP" } } },
        };
        return e;
    }

    /// <summary>The home hero and the slot under the product in view, with ten items.</summary>
    private static DecideRequest ProductPage(string customerId, string device)
    {
        var context = new DecisionContext { Mode = DecisionMode.Inbound, Device = device, Page = $"/product/{Heart}", ProductId = Heart, ItemCount = 10, Channels = { Channel.Web } };
        context.Placements.Add("home-hero");
        context.Placements.Add("pdp-below");
        return new DecideRequest { CustomerId = customerId, Context = context };
    }

    // The silo's item graph refreshes within a second of the import's last purchase: ask until it shows (30 s at most).
    private static async Task<T> UntilAsync<T>(Func<Task<T>> call, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        var response = await call();
        while (!done(response) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            response = await call();
        }

        return response;
    }

    private static bool FromTheGraph(IEnumerable<RecommendedItem> items) => items.Any(i => i.Reason.StartsWith("bought-with:", StringComparison.Ordinal));

    private static string Rendered(IEnumerable<RecommendedItem> items) => string.Concat(items.Select(i => i.Product.Name + "|"));

    [Fact]
    public async Task ImportedRetailDataThenAShopperOverGrpcAndAVisitorOverGrpcWebBrowseAndBuy()
    {
        await using var server = await TestServer.StartAsync(Settings());
        var import = await CliRunner.RunAsync("retail", "import", Slice, "--endpoint", server.Address.ToString(), "--api-key", AdminKey);
        Assert.True(import.ExitCode == 0, import.Output + import.Error);
        Assert.Contains("0 rejected", import.Output, StringComparison.Ordinal);
        await CreateOffersAsync(server.Channel.Sending(AdminKey));

        // A shopper over gRPC, through the site's backend (app key), on a desktop.
        var backend = server.Channel.Sending(AppKey);
        var events = new EventService.EventServiceClient(backend);
        var decisions = new DecisionService.DecisionServiceClient(backend);
        var recommend = new RecommendService.RecommendServiceClient(backend);
        var shopper = TestCustomers.Treated("shopper-");
        var stranger = await recommend.RecommendAsync(new RecommendRequest { AnonymousId = $"v-{Guid.NewGuid():N}", Count = 10 });
        var newcomer = await recommend.RecommendAsync(new RecommendRequest { CustomerId = shopper, Count = 10 });
        await events.TrackAsync(new TrackRequest { Event = View(shopper, null, Heart) });
        var afterView = await UntilAsync(() => recommend.RecommendAsync(new RecommendRequest { CustomerId = shopper, Count = 10 }).ResponseAsync, r => FromTheGraph(r.Items));
        var desktop = await UntilAsync(() => decisions.DecideAsync(ProductPage(shopper, "desktop")).ResponseAsync, d => FromTheGraph(d.PlacementItems.Single(p => p.Placement == "pdp-below").Items));
        var bought = desktop.PlacementItems.Single(p => p.Placement == "pdp-below").Items[0].Product.ProductId;
        await events.TrackAsync(new TrackRequest { Event = Purchase(shopper, null, bought) });
        var desktopAfter = await decisions.DecideAsync(ProductPage(shopper, "desktop"));
        var page1 = await recommend.RecommendAsync(new RecommendRequest { CustomerId = shopper, Count = 10 });
        var page2 = await recommend.RecommendAsync(new RecommendRequest { CustomerId = shopper, Count = 10, PageToken = page1.NextPageToken });
        var cheap = await recommend.RecommendAsync(new RecommendRequest { CustomerId = shopper, Count = 10, ProductId = Heart, Filter = "price < 2" });

        // A visitor over gRPC-Web from the page itself (publishable key), anonymous, on a phone.
        var (channel, page) = Browser();
        using var _ = channel;
        var visitor = TestCustomers.Treated("v-", keyPrefix: "anon:");
        var webEvents = new EventService.EventServiceClient(page);
        var webDecisions = new DecisionService.DecisionServiceClient(page);
        var viewed = await webEvents.TrackAsync(new TrackRequest { Event = View(null, visitor, Heart) });
        var phone = await UntilAsync(() => webDecisions.DecideAsync(ProductPage($"anon:{visitor}", "mobile")).ResponseAsync, d => FromTheGraph(d.PlacementItems.Single(p => p.Placement == "pdp-below").Items));
        var webBought = phone.PlacementItems.Single(p => p.Placement == "pdp-below").Items[0].Product.ProductId;
        var purchased = await webEvents.TrackAsync(new TrackRequest { Event = Purchase(null, visitor, webBought) });
        var phoneAfter = await webDecisions.DecideAsync(ProductPage($"anon:{visitor}", "mobile"));
        var notAllowed = await Assert.ThrowsAsync<RpcException>(async () => await new RecommendService.RecommendServiceClient(page).RecommendAsync(new RecommendRequest { AnonymousId = visitor, Count = 10 }));

        // Recommendations over gRPC: full for strangers and newcomers, following the view, without the purchase, no repeats.
        Assert.Equal(10, stranger.Items.Count);
        Assert.Equal(10, newcomer.Items.Count);
        Assert.NotEqual(newcomer.Items.Select(i => i.Product.ProductId), afterView.Items.Select(i => i.Product.ProductId));
        Assert.StartsWith($"bought-with:{Heart}", afterView.Items[0].Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(page1.Items.Concat(page2.Items).Concat(cheap.Items), i => i.Product.ProductId == bought);
        Assert.Equal(10, page2.Items.Count);
        Assert.Empty(page1.Items.Select(i => i.Product.ProductId).Intersect(page2.Items.Select(i => i.Product.ProductId)));
        Assert.Equal(10, cheap.Items.Count);
        Assert.All(cheap.Items, i => Assert.True(i.Product.Price < 2, $"{i.Product.ProductId} costs {i.Product.Price}"));
        Assert.DoesNotContain(cheap.Items, i => i.Product.ProductId == Heart);

        // Decisions by placement and device, content rendered with the items, the items without what was bought — both wire formats.
        foreach (var (before, after, device, gone) in new[] { (desktop, desktopAfter, "desktop", bought), (phone, phoneAfter, "mobile", webBought) })
        {
            foreach (var decided in new[] { before, after })
            {
                var items = decided.PlacementItems.Single(p => p.Placement == "pdp-below").Items;
                Assert.Equal(10, items.Count);
                Assert.DoesNotContain(items, i => i.Product.ProductId == Heart);
                Assert.All(items, i => Assert.False(string.IsNullOrEmpty(i.Product.Name), i.Product.ProductId));
                Assert.Equal(
                    [("home-hero", $"hero-{device}", $"<h1>10 off on {device}</h1>"), ("pdp-below", "pdp-picks", Rendered(items))],
                    decided.Actions.Select(a => (a.Placement, a.OfferId, a.Content)));
            }

            Assert.Contains(before.PlacementItems.Single(p => p.Placement == "pdp-below").Items, i => i.Product.ProductId == gone);
            Assert.DoesNotContain(after.PlacementItems.SelectMany(p => p.Items), i => i.Product.ProductId == gone);
        }

        Assert.True(viewed.Applied);
        Assert.True(purchased.Applied);
        Assert.Equal(StatusCode.PermissionDenied, notAllowed.StatusCode);
    }
}
