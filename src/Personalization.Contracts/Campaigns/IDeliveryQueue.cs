using Personalization.Decisioning.Campaigns;

namespace Personalization.Contracts.Campaigns;

/// <summary>
/// Where decided deliveries go for the channel connectors: a queue per channel, each message visible
/// at its send time. Implemented on Azure Storage queues.
/// </summary>
public interface IDeliveryQueue
{
    /// <summary>Queues deliveries of one campaign (any channels and send times; the queue groups them into messages).</summary>
    Task EnqueueAsync(string campaignId, IReadOnlyList<CampaignDelivery> deliveries, CancellationToken cancellationToken = default);
}
