using Google.Protobuf.WellKnownTypes;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Cli.Tests;

/// <summary>
/// The shop's whole path over real gRPC: import a slice of the real Online Retail data with the CLI
/// (products, customers, purchases through the public API), then a visitor browses and buys, and
/// recommendations stay full, follow the latest view, exclude what was bought and never repeat
/// across pages.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class RetailRecommendationTests(ServerEnvironment environment)
{
    // WHITE HANGING HEART T-LIGHT HOLDER: the first line of the data, bought with many others on its first day.
    private const string Heart = "85123A";

    private static readonly string Slice = Path.Combine(RepositoryPaths.Root, "models", "data", "online-retail", "online-retail-first-3000-rows.csv");

    private readonly EventService.EventServiceClient _events = new(environment.Shared.Channel);
    private readonly RecommendService.RecommendServiceClient _recommend = new(environment.Shared.Channel);

    private Task TrackAsync(string customer, EventType type, Action<Event> detail)
    {
        var e = new Event { EventId = Guid.NewGuid().ToString("N"), CustomerId = customer, Type = type, OccurredAt = Timestamp.FromDateTime(DateTime.UtcNow) };
        detail(e);
        return _events.TrackAsync(new TrackRequest { Event = e }).ResponseAsync;
    }

    // The silo's item graph refreshes within a second of the import's last purchase: ask until it shows.
    private async Task<RecommendResponse> UntilGraphShowsAsync(RecommendRequest request)
    {
        RecommendResponse response;
        var attempts = 0;
        do
        {
            response = await _recommend.RecommendAsync(request);
        }
        while (!response.Items.Any(i => i.Reason.StartsWith("bought-with:", StringComparison.Ordinal)) && ++attempts < 50 && await Delay());

        return response;

        static async Task<bool> Delay()
        {
            await Task.Delay(100);
            return true;
        }
    }

    [Fact]
    public async Task ImportedRetailDataRecommendsForVisitorsAndFollowsWhatTheyDo()
    {
        var endpoint = environment.Shared.Address.ToString();
        var import = await CliRunner.RunAsync("retail", "import", Slice, "--endpoint", endpoint);
        var customer = $"shopper-{Guid.NewGuid():N}";

        var stranger = await _recommend.RecommendAsync(new RecommendRequest { AnonymousId = $"v-{Guid.NewGuid():N}", Count = 10 });
        var newcomer = await _recommend.RecommendAsync(new RecommendRequest { CustomerId = customer, Count = 10 });
        await TrackAsync(customer, EventType.ProductView, e => e.Product = new ProductDetail { ProductId = Heart, Category = "holder" });
        var afterView = await UntilGraphShowsAsync(new RecommendRequest { CustomerId = customer, Count = 10 });
        var bought = afterView.Items[0].Product.ProductId;
        await TrackAsync(customer, EventType.Purchase, e => e.Purchase = new PurchaseDetail
        {
            OrderId = "o-1",
            Total = new Money { Amount = 5, Currency = "GBP" },
            Items = { new LineItem { ProductId = bought, Quantity = 1, UnitPrice = new Money { Amount = 5, Currency = "GBP" } } },
        });
        var page1 = await _recommend.RecommendAsync(new RecommendRequest { CustomerId = customer, Count = 10 });
        var page2 = await _recommend.RecommendAsync(new RecommendRequest { CustomerId = customer, Count = 10, PageToken = page1.NextPageToken });
        var cheap = await _recommend.RecommendAsync(new RecommendRequest { CustomerId = customer, Count = 10, ProductId = Heart, Filter = "price < 2" });

        Assert.True(import.ExitCode == 0, import.Output + import.Error);
        Assert.Contains("0 rejected", import.Output, StringComparison.Ordinal);
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
    }
}
