using Azure.Storage.Queues;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>
/// Customers waiting in a journey on a two-silo cluster of real server processes (Azure Table membership,
/// the wake-up schedule on an Azurite table) when one silo is SIGKILLed: every one of them is woken once
/// when the wait ends and gets exactly one delivery — none lost with the killed silo's shards or grains,
/// none queued twice.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class JourneyFaultTests(ServerEnvironment environment)
{
    private const int Customers = 100;

    [Fact]
    public async Task CustomersWaitingWhenASiloIsKilledAreEachWokenOnceAndSentOnce()
    {
        var silos = new SiloProcesses(environment.Azurite);
        var (portA, portB) = (FreePorts.Next(), FreePorts.Next());
        await using var survivor = await silos.StartAsync(portA);
        var victim = await silos.StartAsync(portB);
        try
        {
            var (grpc, channel) = SiloProcesses.Client(portA);
            using var _ = grpc;
            var (events, journeys) = (new EventService.EventServiceClient(channel), new JourneyService.JourneyServiceClient(channel));
            var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(channel), Channel.Email);
            var journeyId = (await journeys.CreateJourneyAsync(new CreateJourneyRequest { Journey = JourneyTests.AbandonedCart(offer, TimeSpan.FromSeconds(20)) })).JourneyId;
            await journeys.ActivateJourneyAsync(new JourneyIdRequest { JourneyId = journeyId });
            await Task.Delay(TimeSpan.FromMilliseconds(1500)); // both silos' cached journey definitions
            var ids = await Task.WhenAll(Enumerable.Range(0, Customers).Select(_ => JourneyTests.ReachableCustomerAsync(events)));
            await Task.WhenAll(ids.Select(id => events.TrackAsync(new TrackRequest { Event = Ev.Cart(id, EventType.AddToCart, DateTime.UtcNow, "p1", 1, 30) }).ResponseAsync));
            var entered = await JourneyTests.WaitForAsync(journeys, journeyId, s => s.Entered >= Customers, TimeSpan.FromSeconds(10));
            Assert.Equal(Customers, entered.Stats.Entered);

            await victim.DisposeAsync(); // SIGKILL while every customer waits: its grains, log tail and schedule shards go with it

            var queues = new[] { "email", "push" }.Select(c => new QueueClient(environment.Azurite.ConnectionString, $"{silos.Queues}-{c}")).ToArray();
            foreach (var queue in queues)
            {
                await queue.CreateIfNotExistsAsync(); // a channel nobody was sent on has no queue yet
            }

            var delivered = new List<string>();
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (delivered.Distinct().Count() < Customers && DateTime.UtcNow < deadline)
            {
                await Task.Delay(1000);
                foreach (var queue in queues)
                {
                    delivered.AddRange((await CampaignTests.DrainAsync(queue))
                        .Where(m => m.GetProperty("campaign_id").GetString() == $"journey:{journeyId}")
                        .SelectMany(m => m.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("delivery_id").GetString()!)));
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(3)); // a second wake of anyone would have queued by now
            foreach (var queue in queues)
            {
                delivered.AddRange((await CampaignTests.DrainAsync(queue))
                    .Where(m => m.GetProperty("campaign_id").GetString() == $"journey:{journeyId}")
                    .SelectMany(m => m.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("delivery_id").GetString()!)));
            }

            Assert.Equal(ids.Select(id => $"{journeyId}:{id}:1:remind").Order(StringComparer.Ordinal), delivered.Order(StringComparer.Ordinal));
        }
        finally
        {
            await victim.DisposeAsync();
        }
    }
}
