using System.Collections.Concurrent;
using Personalization.Contracts.Campaigns;
using Personalization.Decisioning.Campaigns;

namespace Personalization.Grains.Tests.Journeys;

/// <summary>A delivery queue that keeps what was queued in memory, per silo (the grain tests have no storage account; the server tests use the Azure queues).</summary>
public sealed class MemoryDeliveryQueue : IDeliveryQueue
{
    /// <summary>Everything queued on this silo, with the campaign (or journey) it came from.</summary>
    public ConcurrentQueue<(string Source, CampaignDelivery Delivery)> Queued { get; } = new();

    /// <summary>Sources whose writes fail (a queue outage for one test's journey).</summary>
    public ConcurrentDictionary<string, byte> Failing { get; } = new(StringComparer.Ordinal);

    public Task EnqueueAsync(string campaignId, IReadOnlyList<CampaignDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        if (Failing.ContainsKey(campaignId))
        {
            return Task.FromException(new InvalidOperationException("queue down"));
        }

        foreach (var delivery in deliveries)
        {
            Queued.Enqueue((campaignId, delivery));
        }

        return Task.CompletedTask;
    }
}
