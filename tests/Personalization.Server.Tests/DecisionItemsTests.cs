using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;
using DecisionMode = Personalization.V1.DecisionMode;

namespace Personalization.Server.Tests;

/// <summary>
/// One Decide over real gRPC that fills two placements with offers and recommended products: the items come from
/// the same recommender as RecommendService (bought-with links first), never repeat across placements, leave out
/// what the customer bought, and the offers' Liquid content renders them.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DecisionItemsTests(ServerEnvironment environment)
{
    private const string ItemsTemplate = "{% for item in items %}{{ item.name }}|{% endfor %}";

    private readonly DecisionService.DecisionServiceClient _decisions = new(environment.Shared.Channel);
    private readonly OfferService.OfferServiceClient _offers = new(environment.Shared.Channel);
    private readonly ProductService.ProductServiceClient _products = new(environment.Shared.Channel);
    private readonly EventService.EventServiceClient _events = new(environment.Shared.Channel);

    private Task TrackAsync(string customer, EventType type, Action<Event> detail)
    {
        var e = new Event { EventId = Guid.NewGuid().ToString("N"), CustomerId = customer, Type = type, OccurredAt = Timestamp.FromDateTime(DateTime.UtcNow) };
        detail(e);
        return _events.TrackAsync(new TrackRequest { Event = e }).ResponseAsync;
    }

    private Task BuyAsync(string customer, params string[] productIds) => TrackAsync(customer, EventType.Purchase, e => e.Purchase = new PurchaseDetail
    {
        OrderId = Guid.NewGuid().ToString("N"),
        Total = new Money { Amount = productIds.Length, Currency = "GBP" },
        Items = { productIds.Select(id => new LineItem { ProductId = id, Quantity = 1, UnitPrice = new Money { Amount = 1, Currency = "GBP" } }) },
    });

    private async Task<string> CreateOfferAsync(string placement)
    {
        var offer = new Offer { OfferId = $"o-{Guid.NewGuid():N}", Name = "items", Type = OfferType.Discount, Value = 1, Channels = { Channel.Web } };
        offer.Placements.Add(placement);
        offer.Contents.Add(new OfferContent { Channel = Channel.Web, Template = ItemsTemplate });
        await _offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer });
        return offer.OfferId;
    }

    [Fact]
    public async Task OneDecideFillsTwoPlacementsWithOffersAndItemsWithoutRepeatsOrPurchases()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(1, 6).Select(i => $"it-{run}-{i}").ToArray();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            await _products.UpsertProductAsync(new UpsertProductRequest { Product = new Product { ProductId = id, Name = $"Item{i + 1}x{run}", Category = $"cat{run}", Price = 1 + i } });
        }

        // Someone buys 2, 3 and 4 together: 3 and 4 are bought with 2.
        await BuyAsync($"other-{run}", ids[1], ids[2], ids[3]);
        var customer = TestCustomers.Treated();
        await BuyAsync(customer, ids[1]);
        var pdp = await CreateOfferAsync("pdp-below");
        var cart = await CreateOfferAsync("cart-items");
        var context = new DecisionContext { Mode = DecisionMode.Inbound, Channels = { Channel.Web }, ProductId = ids[0], ItemCount = 2, OfferIds = { pdp, cart } };
        context.Placements.Add("pdp-below");
        context.Placements.Add("cart-items");

        // The silo's item graph refreshes within a second of the purchases: decide until it shows.
        DecideResponse decided;
        var attempts = 0;
        do
        {
            decided = await _decisions.DecideAsync(new DecideRequest { CustomerId = customer, Context = context });
        }
        while (!decided.PlacementItems[0].Items.Any(i => i.Reason.StartsWith("bought-with:", StringComparison.Ordinal)) && ++attempts < 50 && await Delay());

        Assert.Equal(["pdp-below", "cart-items"], decided.PlacementItems.Select(p => p.Placement));
        Assert.All(decided.PlacementItems, p => Assert.Equal(2, p.Items.Count));
        Assert.Equal([(ids[2], $"bought-with:{ids[1]}"), (ids[3], $"bought-with:{ids[1]}")], decided.PlacementItems[0].Items.Select(i => (i.Product.ProductId, i.Reason)));
        var all = decided.PlacementItems.SelectMany(p => p.Items).Select(i => i.Product.ProductId).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.DoesNotContain(ids[1], all);
        Assert.DoesNotContain(ids[0], all);
        Assert.Equal(decided.PlacementItems[0].Items[0].Product.Name, $"Item3x{run}");
        Assert.Equal(
            [("pdp-below", pdp, string.Concat(decided.PlacementItems[0].Items.Select(i => i.Product.Name + "|"))), ("cart-items", cart, string.Concat(decided.PlacementItems[1].Items.Select(i => i.Product.Name + "|")))],
            decided.Actions.Select(a => (a.Placement, a.OfferId, a.Content)));

        static async Task<bool> Delay()
        {
            await Task.Delay(100);
            return true;
        }
    }

    [Fact]
    public async Task WithoutItemCountNoItemsComeBackAndTooManyIsRefusedNamingTheField()
    {
        var plain = await _decisions.DecideAsync(new DecideRequest { CustomerId = TestCustomers.Treated(), Context = new DecisionContext { Mode = DecisionMode.Inbound, Channels = { Channel.Web } } });
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await _decisions.DecideAsync(new DecideRequest { CustomerId = TestCustomers.Treated(), Context = new DecisionContext { Mode = DecisionMode.Inbound, ItemCount = 21 } }));

        Assert.Empty(plain.PlacementItems);
        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith("context.item_count: between 0 and 20", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideItemsTakeRecommendServicesFilterBoostsAndSessionPaging()
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var ids = Enumerable.Range(1, 6).Select(i => $"ip-{run}-{i}").ToArray();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            await _products.UpsertProductAsync(new UpsertProductRequest { Product = new Product { ProductId = id, Name = $"Paged{i + 1}x{run}", Category = $"paged{run}", Price = 1 + i } });
        }

        await BuyAsync($"other-{run}", ids[1], ids[2], ids[3]);
        var customer = TestCustomers.Treated();
        await BuyAsync(customer, ids[1]);
        var context = new DecisionContext { Mode = DecisionMode.Inbound, Channels = { Channel.Web }, ProductId = ids[0], ItemCount = 2, ItemFilter = $"category = 'paged{run}'" };
        // Unboosted, bought-with orders ids[2] before ids[3] (the first test); the boost turns them round.
        context.ItemBoosts.Add(new ItemBoost { Rule = $"product_id = '{ids[3]}'", Weight = 10 });

        DecideResponse first;
        var attempts = 0;
        do
        {
            first = await _decisions.DecideAsync(new DecideRequest { CustomerId = customer, Context = context });
        }
        while (!first.PlacementItems[0].Items.Any(i => i.Reason.StartsWith("bought-with:", StringComparison.Ordinal)) && ++attempts < 50 && await Delay());

        context.ItemPageToken = first.NextItemPageToken;
        var second = await _decisions.DecideAsync(new DecideRequest { CustomerId = customer, Context = context });
        context.ItemPageToken = second.NextItemPageToken;
        var third = await _decisions.DecideAsync(new DecideRequest { CustomerId = customer, Context = context });

        Assert.Equal([ids[3], ids[2]], first.PlacementItems[0].Items.Select(i => i.Product.ProductId));
        // Only the category's products remain: in view (0) and bought (1) never, shown ones not again, then none left.
        Assert.Equal([ids[4], ids[5]], second.PlacementItems[0].Items.Select(i => i.Product.ProductId).Order(StringComparer.Ordinal));
        Assert.Empty(third.PlacementItems[0].Items);
        Assert.NotEqual("", third.NextItemPageToken);

        static async Task<bool> Delay()
        {
            await Task.Delay(100);
            return true;
        }
    }

    [Theory]
    [InlineData("filter", "context.item_filter")]
    [InlineData("boost", "context.item_boosts[0].weight")]
    [InlineData("boost-rule", "context.item_boosts[0].rule")]
    [InlineData("token", "context.item_page_token")]
    public async Task BadItemFiltersBoostsAndTokensAreRefusedNamingTheField(string bad, string field)
    {
        var context = new DecisionContext { Mode = DecisionMode.Inbound, Channels = { Channel.Web }, ItemCount = 2 };
        switch (bad)
        {
            case "filter":
                context.ItemFilter = "price <";
                break;
            case "boost":
                context.ItemBoosts.Add(new ItemBoost { Rule = "price < 5", Weight = 0 });
                break;
            case "boost-rule":
                context.ItemBoosts.Add(new ItemBoost { Rule = "context.device = 'mobile'", Weight = 2 });
                break;
            default:
                context.ItemPageToken = "not a token";
                break;
        }

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await _decisions.DecideAsync(new DecideRequest { CustomerId = TestCustomers.Treated(), Context = context }));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith(field, refused.Status.Detail, StringComparison.Ordinal);
    }
}
