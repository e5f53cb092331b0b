using Orleans;
using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Campaigns;

/// <summary>
/// One message to send: the documented payload channel connectors receive (README: Deliveries);
/// <paramref name="Variant"/> names the experiment arm, <paramref name="Content"/> is the offer's content
/// rendered for this customer and channel ("" when the offer has none).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CampaignDelivery(
    [property: Id(0)] string DeliveryId,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] string DecisionId,
    [property: Id(3)] string OfferId,
    [property: Id(4)] Channel Channel,
    [property: Id(5)] DateTime SendAt,
    [property: Id(6)] string? Variant = null,
    [property: Id(7)] string Content = "");
