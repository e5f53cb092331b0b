using Orleans;

namespace Personalization.Decisioning.Campaigns;

/// <summary>A member's answer to a campaign: deliveries or why none; <paramref name="Repeat"/> when it was decided earlier (the same answer again).</summary>
[GenerateSerializer, Immutable]
public sealed record CampaignDecision(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] CampaignSuppression Suppression,
    [property: Id(2)] IReadOnlyList<CampaignDelivery> Deliveries,
    [property: Id(3)] bool Repeat);
