using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;

namespace Personalization.AzureStorage.Queues;

/// <summary>One delivery message read back: the campaign (or <c>journey:</c> id) it came from, its channel and send time, and its deliveries.</summary>
public sealed record ScheduledMessage(string CampaignId, Channel Channel, DateTime SendAt, IReadOnlyList<CampaignDelivery> Deliveries);
