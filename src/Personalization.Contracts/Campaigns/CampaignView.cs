using Personalization.Decisioning.Campaigns;

namespace Personalization.Contracts.Campaigns;

/// <summary>A campaign as callers see it; <paramref name="StartedAt"/> is when it started (or is scheduled to), null while a draft.</summary>
[GenerateSerializer]
public sealed record CampaignView(
    [property: Id(0)] CampaignDefinition Definition,
    [property: Id(1)] CampaignState State,
    [property: Id(2)] CampaignProgress Progress,
    [property: Id(3)] DateTime AsOf,
    [property: Id(4)] DateTime? StartedAt = null);
