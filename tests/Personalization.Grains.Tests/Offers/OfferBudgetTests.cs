using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Journeys;
using Personalization.Contracts.Offers;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Journeys;
using Personalization.Decisioning.Offers;
using Personalization.Grains.Tests.Journeys;

namespace Personalization.Grains.Tests.Offers;

/// <summary>
/// An offer's total cap (its budget) on a two-silo cluster: many customers decided at once on both silos never get
/// more than the cap, whichever way they are reached (inbound decisions, campaigns, journeys).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OfferBudgetTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    [Fact]
    public async Task ParallelDecisionsOnTwoSilosNeverSpendMoreThanTheBudget()
    {
        var capped = new Offer { OfferId = $"budget-{Guid.NewGuid():N}", Name = "first 25 only", Type = OfferType.Discount, Value = 100, Channels = [Channel.Web], Caps = new OfferCaps(Total: 25) };
        var fallback = new Offer { OfferId = $"fallback-{Guid.NewGuid():N}", Name = "for everyone", Type = OfferType.Discount, Value = 1, Channels = [Channel.Web] };
        var catalog = Grains.GetGrain<IOfferCatalogGrain>(IOfferCatalogGrain.DefaultKey);
        await catalog.Create(capped);
        await catalog.Create(fallback);
        var request = new DecisionRequest(DecisionMode.Inbound, [Channel.Web], 1, [capped.OfferId, fallback.OfferId]);
        var run = Guid.NewGuid().ToString("N");

        var decisions = await Task.WhenAll(Enumerable.Range(0, 160).Select(i => Grains.GetGrain<ICustomerGrain>($"budget-{run}-{i}").Decide(request)));

        var given = decisions.Count(d => d.Result.Actions.Any(a => a.Offer.OfferId == capped.OfferId));
        Assert.Equal(25, given);
        Assert.Equal(25, await Grains.GetGrain<IOfferBudgetGrain>(capped.OfferId).GetSpent());
        Assert.True(decisions.Count(d => d.Result.Actions.Any(a => a.Offer.OfferId == fallback.OfferId)) > 100, "the rest get the fallback");
        Assert.Equal(2, fixture.Cluster.Silos.Count);
    }

    [Fact]
    public async Task AnOfferWithoutATotalCapNeverTouchesABudget()
    {
        var open = new Offer { OfferId = $"open-{Guid.NewGuid():N}", Name = "no budget", Type = OfferType.Discount, Value = 5, Channels = [Channel.Web] };
        await Grains.GetGrain<IOfferCatalogGrain>(IOfferCatalogGrain.DefaultKey).Create(open);
        var request = new DecisionRequest(DecisionMode.Inbound, [Channel.Web], 1, [open.OfferId]);

        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Grains.GetGrain<ICustomerGrain>($"open-{open.OfferId}-{i}").Decide(request)));

        Assert.Equal(0, await Grains.GetGrain<IOfferBudgetGrain>(open.OfferId).GetSpent());
    }

    [Fact]
    public async Task JourneySendsAndInboundDecisionsSpendOneBudgetWithoutOverSpendAcrossTwoSilos()
    {
        var capped = new Offer { OfferId = $"jbudget-{Guid.NewGuid():N}", Name = "first 30 only", Type = OfferType.Discount, Value = 100, Channels = [Channel.Web, Channel.Email], Caps = new OfferCaps(Total: 30) };
        var fallback = new Offer { OfferId = $"jfallback-{Guid.NewGuid():N}", Name = "for everyone", Type = OfferType.Discount, Value = 1, Channels = [Channel.Web, Channel.Email] };
        var catalog = Grains.GetGrain<IOfferCatalogGrain>(IOfferCatalogGrain.DefaultKey);
        await catalog.Create(capped);
        await catalog.Create(fallback);
        var journey = new JourneyDefinition
        {
            JourneyId = $"jb-{Guid.NewGuid():N}"[..16],
            Name = "cart offer",
            EntryEvent = CustomerEventType.AddToCart,
            Steps = [new() { Id = "offer", Kind = JourneyStepKind.Send }],
            OfferIds = [capped.OfferId, fallback.OfferId],
            Channels = [Channel.Email],
        };
        var registry = Grains.GetGrain<IJourneyRegistryGrain>(IJourneyRegistryGrain.DefaultKey);
        Assert.Equal(JourneyResultStatus.Ok, (await registry.Create(journey)).Status);
        Assert.Equal(JourneyResultStatus.Ok, (await registry.Move(journey.JourneyId, JourneyStatus.Active)).Status);
        await Task.Delay(TimeSpan.FromMilliseconds(1200)); // JourneyCache.MaxAge, with a margin
        var run = Guid.NewGuid().ToString("N");
        var travellers = Enumerable.Range(0, 40).Select(i => $"jb-{run}-{i}").ToList();
        await Task.WhenAll(travellers.Select(id => Grains.GetGrain<ICustomerGrain>(id).Track([JourneyWakeTests.Event(id, CustomerEventType.TimeZoneSet), JourneyWakeTests.Event(id, CustomerEventType.ConsentGranted, Channel.Email)])));
        var request = new DecisionRequest(DecisionMode.Inbound, [Channel.Web], 1, [capped.OfferId, fallback.OfferId]);

        // Both paths at once, on both silos: 40 journey entries (each sends at once) and 15 inbound decisions,
        // 55 wanting a budget of 30 (fewer decisions than the budget, so the journeys must spend the rest).
        var entering = travellers.Select(id => Grains.GetGrain<ICustomerGrain>(id).Track([JourneyWakeTests.Event(id, CustomerEventType.AddToCart)]));
        var deciding = Enumerable.Range(0, 15).Select(i => Grains.GetGrain<ICustomerGrain>($"jd-{run}-{i}").Decide(request)).ToList();
        await Task.WhenAll(entering);
        var decisions = await Task.WhenAll(deciding);

        var sent = fixture.Cluster.Silos.Cast<InProcessSiloHandle>()
            .SelectMany(s => s.SiloHost.Services.GetRequiredService<MemoryDeliveryQueue>().Queued)
            .Where(q => q.Source == $"journey:{journey.JourneyId}").Select(q => q.Delivery).ToList();
        var journeyGrants = sent.Count(d => d.OfferId == capped.OfferId);
        var decideGrants = decisions.Count(d => d.Result.Actions.Any(a => a.Offer.OfferId == capped.OfferId));
        Assert.Equal(30, journeyGrants + decideGrants);
        Assert.Equal(30, await Grains.GetGrain<IOfferBudgetGrain>(capped.OfferId).GetSpent());
        Assert.True(journeyGrants >= 15, $"journey sends spend what decisions left: {journeyGrants}");
        // Every traveller got one send: those too late for the budget got the other offer, decided again.
        Assert.Equal(travellers.Count, sent.Select(d => d.CustomerId).Distinct().Count());
        Assert.Equal(travellers.Count, sent.Count);
    }
}
