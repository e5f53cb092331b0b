namespace Personalization.Contracts.Campaigns;

/// <summary>The outcome of a campaign command and the campaign as it now stands; <paramref name="Detail"/> says why when refused.</summary>
[GenerateSerializer, Immutable]
public sealed record CampaignResult(
    [property: Id(0)] CampaignResultStatus Status,
    [property: Id(1)] CampaignView? Campaign,
    [property: Id(2)] string Detail);
