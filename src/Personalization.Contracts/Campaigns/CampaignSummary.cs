namespace Personalization.Contracts.Campaigns;

/// <summary>What the campaign registry keeps per campaign: enough to list and to protect segments in use.</summary>
[GenerateSerializer, Immutable]
public sealed record CampaignSummary(
    [property: Id(0)] string CampaignId,
    [property: Id(1)] string Segment,
    [property: Id(2)] CampaignState State,
    [property: Id(3)] DateTime CreatedAt);
