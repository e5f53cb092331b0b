using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Journeys;
using Personalization.Contracts.Offers;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Journeys;
using Personalization.Decisioning.Offers;
using Personalization.Grains.Journeys;
using Personalization.Grains.Offers;

namespace Personalization.Grains.Tests.Journeys;

/// <summary>
/// A journey's total entry limit across a two-silo cluster under concurrent entries, and exclusion
/// groups decided in the customer grain. Each test's journeys enter on their own trait rule and are
/// archived at the end, so the shared cluster's other tests are not entered into them.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class JourneyLimitTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    private IJourneyRegistryGrain Registry => Grains.GetGrain<IJourneyRegistryGrain>(IJourneyRegistryGrain.DefaultKey);

    private async Task<JourneyDefinition> ActiveAsync(string prefix, string tag, Func<JourneyDefinition, JourneyDefinition> shape)
    {
        var offer = new Offer { OfferId = $"o-{Guid.NewGuid():N}", Name = "reminder", Type = OfferType.Informational, Value = 1, Channels = [Channel.Email] };
        await Grains.GetGrain<IOfferCatalogGrain>(IOfferCatalogGrain.DefaultKey).Create(offer);
        var journey = shape(new JourneyDefinition
        {
            JourneyId = $"{prefix}-{Guid.NewGuid():N}"[..16],
            Name = prefix,
            EntryEvent = CustomerEventType.AddToCart,
            EntryRule = $"test_tag = '{tag}'",
            Steps =
            [
                new() { Id = "wait", Kind = JourneyStepKind.Wait, Duration = TimeSpan.FromHours(1), Next = "remind" },
                new() { Id = "remind", Kind = JourneyStepKind.Send },
            ],
            ExitEvents = [CustomerEventType.Purchase],
            OfferIds = [offer.OfferId],
            ReEntry = ReEntryPolicy.AfterExit,
        });
        Assert.Equal(JourneyResultStatus.Ok, (await Registry.Create(journey)).Status);
        Assert.Equal(JourneyResultStatus.Ok, (await Registry.Move(journey.JourneyId, JourneyStatus.Active)).Status);
        return journey;
    }

    // Consent, a time zone and the tag the test's journeys enter on.
    private async Task<ICustomerGrain> CustomerAsync(string id, string tag)
    {
        var customer = Grains.GetGrain<ICustomerGrain>(id);
        await customer.Track(
        [
            JourneyWakeTests.Event(id, CustomerEventType.TimeZoneSet),
            JourneyWakeTests.Event(id, CustomerEventType.ConsentGranted, Channel.Email),
            JourneyWakeTests.Event(id, CustomerEventType.TraitsSet) with { Traits = new() { ["test_tag"] = TraitValue.Of(tag) } },
        ]);
        return customer;
    }

    // How many of the customers are active in the journey.
    private static async Task<int> EnrolledAsync(IEnumerable<ICustomerGrain> customers, string journeyId)
    {
        var enrolled = 0;
        foreach (var customer in customers)
        {
            enrolled += JourneySteps.Of((await customer.GetState())!, journeyId) is { Active: true } ? 1 : 0;
        }

        return enrolled;
    }

    // Every silo's journey cache is older than its maximum age after this, so the next event on any silo sees the journey.
    private static Task CachesRefreshedAsync() => Task.Delay(JourneyCache.MaxAge + TimeSpan.FromMilliseconds(200));

    [Fact]
    public async Task ATotalEntryLimitAdmitsExactlyThatManyAmongConcurrentEntriesOnTwoSilos()
    {
        var tag = Guid.NewGuid().ToString("N");
        var journey = await ActiveAsync("limit", tag, j => j with { MaxTotalEntries = 20 });
        var ids = Enumerable.Range(0, 60).Select(i => $"lim-{i}-{Guid.NewGuid():N}").ToList();
        var customers = await Task.WhenAll(ids.Select(id => CustomerAsync(id, tag)));
        await CachesRefreshedAsync();

        await Task.WhenAll(ids.Select((id, i) => customers[i].Track([JourneyWakeTests.Event(id, CustomerEventType.AddToCart)])));

        var enrolled = await EnrolledAsync(customers, journey.JourneyId);

        var spent = await Grains.GetGrain<IOfferBudgetGrain>(OfferBudgets.JourneyKey(journey.JourneyId)).GetSpent();
        await Registry.Move(journey.JourneyId, JourneyStatus.Archived);
        Assert.Equal(20, enrolled);
        Assert.Equal(20, spent);
    }

    [Fact]
    public async Task EntriesIntoALimitedJourneyTakeGrantsFromEachSilosLeaseInBlocks()
    {
        var tag = Guid.NewGuid().ToString("N");
        var journey = await ActiveAsync("lease", tag, j => j with { MaxTotalEntries = 100_000 });
        var ids = Enumerable.Range(0, 300).Select(i => $"lease-{i}-{Guid.NewGuid():N}").ToList();
        var customers = await Task.WhenAll(ids.Select(id => CustomerAsync(id, tag)));
        var budgets = fixture.Cluster.Silos.Cast<InProcessSiloHandle>().Select(s => s.SiloHost.Services.GetRequiredService<OfferBudgets>()).ToList();
        var callsBefore = budgets.Sum(b => b.LeaseCalls);
        await CachesRefreshedAsync();

        await Task.WhenAll(ids.Select((id, i) => customers[i].Track([JourneyWakeTests.Event(id, CustomerEventType.AddToCart)])));

        var enrolled = await EnrolledAsync(customers, journey.JourneyId);

        var key = OfferBudgets.JourneyKey(journey.JourneyId);
        var spent = await Grains.GetGrain<IOfferBudgetGrain>(key).GetSpent();
        var leftInLeases = budgets.Sum(b => b.Leased.GetValueOrDefault(key));
        var calls = budgets.Sum(b => b.LeaseCalls) - callsBefore;
        await Registry.Move(journey.JourneyId, JourneyStatus.Archived);
        Assert.Equal(300, enrolled);
        // Every grant the budget counted is an entry or still in a silo's lease: nothing lost, nothing made up.
        Assert.Equal(spent, enrolled + leftInLeases);
        Assert.InRange(leftInLeases, 0, budgets.Count * OfferBudgetLeases.MaxBlock);
        // Blocks of up to 64: a handful of calls per silo, not one per entry.
        Assert.InRange(calls, 1, 30);
    }

    [Fact]
    public async Task ACustomerEntersOnlyOneJourneyOfAGroupAndTheOtherOnceTheFirstIsLeft()
    {
        var tag = Guid.NewGuid().ToString("N");
        var group = $"g{Guid.NewGuid():N}";
        var low = await ActiveAsync("low", tag, j => j with { ExclusionGroup = group, Priority = 1 });
        var high = await ActiveAsync("high", tag, j => j with { ExclusionGroup = group, Priority = 5 });
        var id = $"ex-{Guid.NewGuid():N}";
        var customer = await CustomerAsync(id, tag);
        await CachesRefreshedAsync();

        await customer.Track([JourneyWakeTests.Event(id, CustomerEventType.AddToCart)]);
        var first = (await customer.GetState())!;
        await customer.Track([JourneyWakeTests.Event(id, CustomerEventType.Purchase) with { Amount = 30 }]);
        await Registry.Move(high.JourneyId, JourneyStatus.Paused);
        await CachesRefreshedAsync();
        await customer.Track([JourneyWakeTests.Event(id, CustomerEventType.AddToCart)]);
        var second = (await customer.GetState())!;

        await Registry.Move(low.JourneyId, JourneyStatus.Archived);
        await Registry.Move(high.JourneyId, JourneyStatus.Archived);
        Assert.True(JourneySteps.Of(first, high.JourneyId)?.Active);
        Assert.Null(JourneySteps.Of(first, low.JourneyId));
        Assert.True(JourneySteps.Of(second, low.JourneyId)?.Active);
    }
}
