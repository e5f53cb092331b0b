using Personalization.Decisioning.Campaigns;

namespace Personalization.Contracts.Campaigns;

/// <summary>A campaign as callers see it.</summary>
[GenerateSerializer]
public sealed record CampaignView(
    [property: Id(0)] CampaignDefinition Definition,
    [property: Id(1)] CampaignState State,
    [property: Id(2)] CampaignProgress Progress,
    [property: Id(3)] DateTime AsOf);
