using System.Collections.Concurrent;
using Personalization.Contracts.Campaigns;
using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Grains.Journeys;

namespace Personalization.Grains.Tests.Journeys;

/// <summary>
/// The silo's journey-delivery writer: customers woken together share queue writes (group commit), each delivery
/// is queued once and only with its own journey's, and a failed write fails exactly the callers it carried.
/// </summary>
public sealed class JourneyDeliveriesTests
{
    private static CampaignDelivery Delivery(int i) =>
        new($"j:c{i}:1:remind", $"c{i}", $"d{i}", "offer", Channel.Email, DateTime.UtcNow);

    [Fact]
    public async Task ConcurrentSendsShareWritesAndEachDeliveryIsQueuedOnceWithItsOwnJourney()
    {
        var queue = new SlowQueue(TimeSpan.FromMilliseconds(50));
        var deliveries = new JourneyDeliveries(queue);

        await Task.WhenAll(Enumerable.Range(0, 1000).Select(i => Task.Run(() => deliveries.EnqueueAsync($"journey:{i % 2}", [Delivery(i)]))));

        var queued = queue.Calls.SelectMany(c => c.Deliveries.Select(d => (c.Source, d.DeliveryId))).ToList();
        Assert.Equal(1000, queued.Count);
        Assert.Equal(1000, queued.Distinct().Count());
        Assert.All(queue.Calls, c => Assert.All(c.Deliveries, d => Assert.Equal($"journey:{int.Parse(d.CustomerId[1..]) % 2}", c.Source)));
        // One write per journey per flush: the first flush carries whoever came first, the rest wait for the next.
        Assert.True(queue.Calls.Count <= 40, $"{queue.Calls.Count} queue writes for 1,000 deliveries");
        Assert.Equal(queue.Calls.Count, deliveries.Writes);
    }

    [Fact]
    public async Task AFailedWriteFailsTheCallersItCarriedAndTheNextWriteWorks()
    {
        var queue = new SlowQueue(TimeSpan.FromMilliseconds(20)) { FailNext = true };
        var deliveries = new JourneyDeliveries(queue);

        var failed = await Assert.ThrowsAsync<IOException>(() => deliveries.EnqueueAsync("journey:a", [Delivery(1), Delivery(2)]));
        Assert.Equal("queue down", failed.Message);
        await deliveries.EnqueueAsync("journey:a", [Delivery(3)]);

        Assert.Equal(["j:c3:1:remind"], queue.Calls.SelectMany(c => c.Deliveries).Select(d => d.DeliveryId));
    }

    private sealed class SlowQueue(TimeSpan delay) : IDeliveryQueue
    {
        public ConcurrentQueue<(string Source, IReadOnlyList<CampaignDelivery> Deliveries)> Calls { get; } = new();

        public bool FailNext { get; set; }

        public async Task EnqueueAsync(string campaignId, IReadOnlyList<CampaignDelivery> deliveries, CancellationToken cancellationToken = default)
        {
            await Task.Delay(delay, cancellationToken);
            if (FailNext)
            {
                FailNext = false;
                throw new IOException("queue down");
            }

            Calls.Enqueue((campaignId, deliveries));
        }
    }
}
