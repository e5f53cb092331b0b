using Personalization.Contracts.Campaigns;

namespace Personalization.Grains.Campaigns;

/// <summary>Every campaign's summary.</summary>
[GenerateSerializer]
public sealed class CampaignRegistryState
{
    [Id(0)] public Dictionary<string, CampaignSummary> Campaigns { get; set; } = new(StringComparer.Ordinal);
}
