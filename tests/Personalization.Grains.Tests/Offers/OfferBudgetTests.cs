using Personalization.Contracts.Customers;
using Personalization.Contracts.Offers;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Offers;

namespace Personalization.Grains.Tests.Offers;

/// <summary>An offer's total cap (its budget) on a two-silo cluster: many customers decided at once on both silos never get more than the cap.</summary>
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
}
