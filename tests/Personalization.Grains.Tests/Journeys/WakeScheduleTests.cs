using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.TestingHost;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Journeys;
using Personalization.Contracts.Offers;
using Personalization.Contracts.Schedules;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Journeys;
using Personalization.Decisioning.Offers;
using Personalization.Grains.Schedules;

namespace Personalization.Grains.Tests.Journeys;

/// <summary>
/// The sharded wake-up schedule on the two-silo cluster: many customers waiting for the same moment, all
/// deactivated, are each woken once and not before their due time; its batches are gone once woken; a
/// repeated or stale wake runs nothing; adds made while a write is in flight share the next write.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class WakeScheduleTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Cluster.GrainFactory;

    private List<Decisioning.Campaigns.CampaignDelivery> Queued(string journeyId) =>
        [.. fixture.Cluster.Silos.Cast<InProcessSiloHandle>()
            .SelectMany(s => s.SiloHost.Services.GetRequiredService<MemoryDeliveryQueue>().Queued)
            .Where(q => q.Source == $"journey:{journeyId}").Select(q => q.Delivery)];

    private async Task<string> ActiveJourneyAsync(TimeSpan wait)
    {
        var offer = new Offer { OfferId = $"o-{Guid.NewGuid():N}", Name = "reminder", Type = OfferType.Informational, Value = 1, Channels = [Channel.Email] };
        await Grains.GetGrain<IOfferCatalogGrain>(IOfferCatalogGrain.DefaultKey).Create(offer);
        var journey = new JourneyDefinition
        {
            JourneyId = $"sched-{Guid.NewGuid():N}"[..16],
            Name = "wake schedule",
            EntryEvent = CustomerEventType.AddToCart,
            Steps =
            [
                new() { Id = "wait", Kind = JourneyStepKind.Wait, Duration = wait, Next = "remind" },
                new() { Id = "remind", Kind = JourneyStepKind.Send },
            ],
            OfferIds = [offer.OfferId],
        };
        var registry = Grains.GetGrain<IJourneyRegistryGrain>(IJourneyRegistryGrain.DefaultKey);
        Assert.Equal(JourneyResultStatus.Ok, (await registry.Create(journey)).Status);
        Assert.Equal(JourneyResultStatus.Ok, (await registry.Move(journey.JourneyId, JourneyStatus.Active)).Status);
        await Task.Delay(TimeSpan.FromMilliseconds(1200)); // JourneyCache.MaxAge, with a margin
        return journey.JourneyId;
    }

    private static CustomerEvent Event(string customer, CustomerEventType type, Channel channel = Channel.Web) => JourneyWakeTests.Event(customer, type, channel);

    private static async Task<List<WakeEntry>> ScheduledAsync(IEnumerable<string> customers)
    {
        var ids = customers.ToHashSet();
        var found = new List<WakeEntry>();
        for (var shard = 0; shard < new WakeScheduleOptions().Shards; shard++)
        {
            found.AddRange((await ClusterFixture.Wakes.ReadAsync(shard, long.MaxValue - 1)).SelectMany(b => b.Entries).Where(e => ids.Contains(e.CustomerId)));
        }

        return found;
    }

    [Fact]
    public async Task ManyDeactivatedCustomersWaitingForOneMomentAreEachWokenOnceAndNotEarly()
    {
        const int Customers = 120;
        var journeyId = await ActiveJourneyAsync(TimeSpan.FromSeconds(10));
        var ids = Enumerable.Range(0, Customers).Select(i => $"w-{i}-{Guid.NewGuid():N}").ToList();
        await Task.WhenAll(ids.Select(async id =>
        {
            var customer = Grains.GetGrain<ICustomerGrain>(id);
            await customer.Track([Event(id, CustomerEventType.TimeZoneSet), Event(id, CustomerEventType.ConsentGranted, Channel.Email)]);
            await customer.Track([Event(id, CustomerEventType.AddToCart)]);
        }));
        var due = new Dictionary<string, DateTime>();
        foreach (var id in ids)
        {
            due[id] = JourneySteps.Of((await Grains.GetGrain<ICustomerGrain>(id).GetState())!, journeyId)!.DueAt!.Value;
        }

        // Durable before the answer: every waiting customer is on the schedule at its due time or before (the
        // shared cluster's other AddToCart journeys may want it earlier: that wake schedules the later one).
        var scheduled = await ScheduledAsync(ids);
        Assert.All(ids, id => Assert.Contains(scheduled, e => e.CustomerId == id && e.Due <= due[id]));

        // Every customer's activation (and its precise timer) goes: only the schedule can wake them now.
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (Queued(journeyId).Count < Customers && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5)); // a second wake of anyone would have queued by now
        var queued = Queued(journeyId);
        Assert.Equal(Customers, queued.Count);
        Assert.Equal(Customers, queued.Select(d => d.DeliveryId).Distinct().Count());
        Assert.All(queued, d => Assert.True(d.SendAt >= due[d.CustomerId], $"{d.CustomerId} woken early"));

        // Woken batches are deleted.
        deadline = DateTime.UtcNow.AddSeconds(10);
        while ((await ScheduledAsync(ids)).Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.Empty(await ScheduledAsync(ids));
    }

    [Fact]
    public async Task ARepeatedOrEarlyWakeRunsNothing()
    {
        var journeyId = await ActiveJourneyAsync(TimeSpan.FromSeconds(2));
        var id = $"c-{Guid.NewGuid():N}";
        var customer = Grains.GetGrain<ICustomerGrain>(id);
        await customer.Track([Event(id, CustomerEventType.TimeZoneSet), Event(id, CustomerEventType.ConsentGranted, Channel.Email)]);
        await customer.Track([Event(id, CustomerEventType.AddToCart)]);
        var waiting = JourneySteps.Of((await customer.GetState())!, journeyId)!;

        // Early (a stale entry, or a clock ahead): nothing is due yet, nothing moves.
        await customer.WakeJourneys(waiting.DueAt!.Value);
        Assert.Equal(("wait", true), (JourneySteps.Of((await customer.GetState())!, journeyId)!.Step, waiting.Active));
        Assert.Empty(Queued(journeyId));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Queued(journeyId).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        // Repeats (the schedule after the timer, a batch re-read after a crash): still one delivery.
        await customer.WakeJourneys(waiting.DueAt!.Value);
        await customer.WakeJourneys(waiting.DueAt!.Value);
        Assert.Equal($"{journeyId}:{id}:1:remind", Assert.Single(Queued(journeyId)).DeliveryId);
        Assert.Equal(JourneyEnd.Completed, JourneySteps.Of((await customer.GetState())!, journeyId)!.End);
    }

    [Fact]
    public async Task AddsMadeWhileAWriteIsInFlightShareTheNextWrite()
    {
        var store = new SlowStore();
        var schedule = new WakeSchedule(store, Grains, Options.Create(new WakeScheduleOptions { Shards = 4 }), NullLogger<WakeSchedule>.Instance);
        var due = DateTime.UtcNow.AddDays(30);

        await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => schedule.AddAsync($"batch-{i}", due)));

        // At most one write per shard per flush: the first add's flush, then one for everything that queued behind it.
        Assert.InRange(schedule.Writes, 1, 2 * 4 + 1);
        Assert.Equal(1000, store.Entries);
    }

    // A store as slow as a storage round trip: what lets adds queue behind a write in flight.
    private sealed class SlowStore : IWakeStore
    {
        private readonly MemoryWakeStore _inner = new();
        private int _entries;

        public int Entries => _entries;

        public async Task WriteAsync(int shard, WakeBatch batch, CancellationToken cancellation = default)
        {
            await Task.Delay(50, cancellation);
            Interlocked.Add(ref _entries, batch.Entries.Count);
            await _inner.WriteAsync(shard, batch, cancellation);
        }

        public Task<IReadOnlyList<WakeBatch>> ReadAsync(int shard, long throughBucket, CancellationToken cancellation = default) => _inner.ReadAsync(shard, throughBucket, cancellation);

        public Task DeleteAsync(int shard, WakeBatch batch, CancellationToken cancellation = default) => _inner.DeleteAsync(shard, batch, cancellation);
    }
}
