using Personalization.Contracts.Campaigns;
using Personalization.Decisioning.Campaigns;
using Personalization.Grains.Common;

namespace Personalization.Grains.Journeys;

/// <summary>
/// This silo's queuing of journey deliveries (README: Journeys). A customer's send step queues its delivery
/// and waits until it is queued; deliveries that arrive while a queue write is in flight go in the next one
/// (group commit), so customers woken together share queue messages (the queue packs one journey's
/// deliveries with the same channel and send time into messages of up to 48 KiB) instead of one message
/// each. A failed write fails every caller whose delivery it carried; each queues again when it retries.
/// </summary>
public sealed class JourneyDeliveries
{
    private readonly IDeliveryQueue _queue;
    private readonly GroupCommit<(string Source, CampaignDelivery Delivery)> _commit;

    /// <summary>Queues through <paramref name="queue"/>.</summary>
    public JourneyDeliveries(IDeliveryQueue queue)
    {
        _queue = queue;
        _commit = new GroupCommit<(string Source, CampaignDelivery Delivery)>(WriteAsync);
    }

    /// <summary>Queue writes made (each may carry many customers' deliveries).</summary>
    public long Writes => Interlocked.Read(ref _writes);

    private long _writes;

    /// <summary>Queues deliveries of one source (<c>journey:{id}</c>); completes once they are on the queue.</summary>
    public Task EnqueueAsync(string source, IReadOnlyList<CampaignDelivery> deliveries) =>
        deliveries.Count == 1
            ? _commit.AddAsync((source, deliveries[0]))
            : Task.WhenAll(deliveries.Select(d => _commit.AddAsync((source, d))));

    // One queue call per source: the queue groups by channel and send time and splits large groups.
    private Task WriteAsync(IReadOnlyList<((string Source, CampaignDelivery Delivery) Item, TaskCompletionSource Done)> taken) =>
        Task.WhenAll(taken.GroupBy(t => t.Item.Source, StringComparer.Ordinal).Select(async group =>
        {
            try
            {
                await _queue.EnqueueAsync(group.Key, [.. group.Select(g => g.Item.Delivery)]);
                Interlocked.Increment(ref _writes);
            }
            catch (Exception ex)
            {
                foreach (var (_, done) in group)
                {
                    done.TrySetException(ex);
                }

                return;
            }

            foreach (var (_, done) in group)
            {
                done.TrySetResult();
            }
        }));
}
