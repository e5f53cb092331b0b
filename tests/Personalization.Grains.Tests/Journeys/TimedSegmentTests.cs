using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Journeys;
using Personalization.Contracts.Offers;
using Personalization.Contracts.Segments;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Journeys;
using Personalization.Decisioning.Offers;
using Personalization.Decisioning.Segments;
using Personalization.Grains.Journeys;

namespace Personalization.Grains.Tests.Journeys;

/// <summary>
/// A segment whose rule reads time fills by itself: "no purchase for a while" (a few seconds here:
/// days_since counts fractional days) is joined with nobody touching the customer, its grain collected
/// meanwhile, and the segment-join journey it starts sends once.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TimedSegmentTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    private List<Decisioning.Campaigns.CampaignDelivery> Queued(string journeyId) =>
        [.. fixture.Cluster.Silos.Cast<InProcessSiloHandle>()
            .SelectMany(s => s.SiloHost.Services.GetRequiredService<MemoryDeliveryQueue>().Queued)
            .Where(q => q.Source == $"journey:{journeyId}")
            .Select(q => q.Delivery)];

    [Fact]
    public async Task NoPurchaseForAWhileFillsTheSegmentByItselfAndEntersTheJourney()
    {
        var tag = Guid.NewGuid().ToString("N");
        var segment = $"lapsed{tag[..12]}";
        var segments = Grains.GetGrain<ISegmentRegistryGrain>(ISegmentRegistryGrain.DefaultKey);
        // 0.00015 days is 13 seconds: long enough that a slow machine's Track answers well before it.
        await segments.Create(new SegmentDefinition { Name = segment, Rule = $"days_since(last_purchase) > 0.00015 and test_tag = '{tag}'" });
        var offer = new Offer { OfferId = $"o-{Guid.NewGuid():N}", Name = "we miss you", Type = OfferType.Informational, Value = 1, Channels = [Channel.Email] };
        await Grains.GetGrain<IOfferCatalogGrain>(IOfferCatalogGrain.DefaultKey).Create(offer);
        var journey = new JourneyDefinition
        {
            JourneyId = $"winback-{Guid.NewGuid():N}"[..16],
            Name = "win-back",
            EntryKind = JourneyEntryKind.SegmentJoin,
            EntrySegment = segment,
            Steps = [new() { Id = "miss-you", Kind = JourneyStepKind.Send }],
            OfferIds = [offer.OfferId],
        };
        var registry = Grains.GetGrain<IJourneyRegistryGrain>(IJourneyRegistryGrain.DefaultKey);
        Assert.Equal(JourneyResultStatus.Ok, (await registry.Create(journey)).Status);
        Assert.Equal(JourneyResultStatus.Ok, (await registry.Move(journey.JourneyId, JourneyStatus.Active)).Status);
        await Task.Delay(JourneyCache.MaxAge + TimeSpan.FromMilliseconds(200)); // every silo's caches past their age

        var id = $"c-{Guid.NewGuid():N}";
        var customer = Grains.GetGrain<ICustomerGrain>(id);
        await customer.Track(
        [
            JourneyWakeTests.Event(id, CustomerEventType.TimeZoneSet),
            JourneyWakeTests.Event(id, CustomerEventType.ConsentGranted, Channel.Email),
            JourneyWakeTests.Event(id, CustomerEventType.TraitsSet) with { Traits = new() { ["test_tag"] = TraitValue.Of(tag) } },
            JourneyWakeTests.Event(id, CustomerEventType.Purchase) with { Amount = 30 },
        ]);
        var before = (await customer.GetState())!;

        // Nobody touches the customer again; its activation goes, so only the wake-up schedule can move it.
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (Queued(journey.JourneyId).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        var after = (await customer.GetState())!;
        var sent = Queued(journey.JourneyId);
        await registry.Move(journey.JourneyId, JourneyStatus.Archived);
        await segments.Delete(segment);

        Assert.False(before.Segments.ContainsKey(segment));
        Assert.True(after.Segments.ContainsKey(segment));
        Assert.Equal(JourneyEnd.Completed, JourneySteps.Of(after, journey.JourneyId)?.End);
        Assert.Equal($"{journey.JourneyId}:{id}:1:miss-you", Assert.Single(sent).DeliveryId);
    }
}
