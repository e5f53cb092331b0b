using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Journeys;
using Personalization.Contracts.Offers;
using Personalization.Contracts.Products;
using Personalization.Contracts.Segments;
using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Journeys;
using Personalization.Decisioning.Offers;
using Personalization.Decisioning.Products;
using Personalization.Decisioning.Recommendations;
using Personalization.Decisioning.Segments;
using Personalization.Grains.Tests.Journeys;

namespace Personalization.Grains.Tests.Recommendations;

/// <summary>
/// Campaign and journey deliveries render their content with the customer's recommended products (<c>items</c>):
/// ten of them, never what the customer bought, from the same recommender as Decide and RecommendService.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class DeliveryItemsTests(ClusterFixture fixture)
{
    private const string Template = "{% for item in items %}{{ item.product_id }},{% endfor %}";

    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    private async Task<(string Category, string[] Ids, Offer Offer)> ShopAsync()
    {
        var category = $"d{Guid.NewGuid():N}"[..20];
        var ids = Enumerable.Range(0, 12).Select(i => $"{category}-{i:00}").ToArray();
        await Grains.GetGrain<IProductCatalogGrain>(IProductCatalogGrain.DefaultKey).Upsert([.. ids.Select(id => new Product { ProductId = id, Name = id, Category = category, Price = 2 })]);
        var offer = new Offer
        {
            OfferId = $"o-{Guid.NewGuid():N}",
            Name = "picked for you",
            Type = OfferType.Informational,
            Value = 1,
            Channels = [Channel.Email],
            Contents = [new OfferContent(Channel.Email, "", Template)],
        };
        await Grains.GetGrain<IOfferCatalogGrain>(IOfferCatalogGrain.DefaultKey).Create(offer);
        return (category, ids, offer);
    }

    private static CustomerEvent Event(string customer, CustomerEventType type) => new()
    {
        EventId = Guid.NewGuid().ToString("N"),
        CustomerId = customer,
        Type = type,
        Channel = type == CustomerEventType.ConsentGranted ? Channel.Email : Channel.Web,
        OccurredAt = DateTime.UtcNow,
        TimeZone = type == CustomerEventType.TimeZoneSet ? JourneyWakeTests.Noon() : null,
    };

    private static CustomerEvent Purchase(string customer, string productId) => Event(customer, CustomerEventType.Purchase) with { Amount = 2, Items = [new LineItem(productId, 1, 2)] };

    // The product cache of a silo refreshes on a short age: wait until the recommender sees the new products.
    private async Task UntilRecommendableAsync(string productId)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var items = await Grains.GetGrain<Contracts.Recommendations.IRecommenderGrain>(0).Recommend($"probe-{Guid.NewGuid():N}", new RecommendationQuery(1, Filter: $"product_id = '{productId}'"));
            if (items.Count == 1)
            {
                return;
            }

            await Task.Delay(50);
        }
    }

    private static void AssertItems(string content, string bought)
    {
        var shown = content.Split(',', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Recommender.DeliveryCount, shown.Length);
        Assert.Equal(shown.Length, shown.Distinct().Count());
        Assert.DoesNotContain(bought, shown);
    }

    [Fact]
    public async Task AJourneySendRendersTheCustomersRecommendedItemsWithoutWhatTheyBought()
    {
        var (_, ids, offer) = await ShopAsync();
        await UntilRecommendableAsync(ids[^1]);
        var journey = new JourneyDefinition
        {
            JourneyId = $"di-{Guid.NewGuid():N}"[..16],
            Name = "after purchase",
            EntryEvent = CustomerEventType.Purchase,
            Steps = [new() { Id = "picks", Kind = JourneyStepKind.Send }],
            OfferIds = [offer.OfferId],
        };
        var registry = Grains.GetGrain<IJourneyRegistryGrain>(IJourneyRegistryGrain.DefaultKey);
        Assert.Equal(JourneyResultStatus.Ok, (await registry.Create(journey)).Status);
        Assert.Equal(JourneyResultStatus.Ok, (await registry.Move(journey.JourneyId, JourneyStatus.Active)).Status);
        await Task.Delay(TimeSpan.FromMilliseconds(1200)); // JourneyCache.MaxAge, with a margin
        var id = $"c-{Guid.NewGuid():N}";
        var customer = Grains.GetGrain<ICustomerGrain>(id);
        await customer.Track([Event(id, CustomerEventType.TimeZoneSet), Event(id, CustomerEventType.ConsentGranted)]);

        await customer.Track([Purchase(id, ids[0])]);

        var sent = fixture.Cluster.Silos.Cast<InProcessSiloHandle>()
            .SelectMany(s => s.SiloHost.Services.GetRequiredService<MemoryDeliveryQueue>().Queued)
            .Where(q => q.Source == $"journey:{journey.JourneyId}").Select(q => q.Delivery);
        AssertItems(Assert.Single(sent).Content, ids[0]);
    }

    [Fact]
    public async Task ACampaignDeliveryRendersTheMembersRecommendedItemsWithoutWhatTheyBought()
    {
        var (category, ids, offer) = await ShopAsync();
        await UntilRecommendableAsync(ids[^1]);
        var segments = Grains.GetGrain<ISegmentRegistryGrain>(ISegmentRegistryGrain.DefaultKey);
        var segment = $"s{category}";
        await segments.Create(new SegmentDefinition { Name = segment, Rule = $"cohort = '{category}'" });
        var version = (await segments.Snapshot(-1))!.Version;
        var id = $"c-{Guid.NewGuid():N}";
        var customer = Grains.GetGrain<ICustomerGrain>(id);
        await customer.Track([
            Event(id, CustomerEventType.TimeZoneSet),
            Event(id, CustomerEventType.ConsentGranted),
            Event(id, CustomerEventType.TraitsSet) with { Traits = new() { ["cohort"] = TraitValue.Of(category) } },
            Purchase(id, ids[3]),
        ]);
        var campaign = new CampaignDefinition { CampaignId = $"cmp-{category}", Name = "picks", Segment = segment, OfferIds = [offer.OfferId], Channels = [Channel.Email], RespectGlobalCaps = false };

        var decision = await customer.DecideCampaign(campaign, version);

        Assert.Equal(CampaignSuppression.None, decision.Suppression);
        AssertItems(Assert.Single(decision.Deliveries).Content, ids[3]);
    }
}
