using Personalization.Contracts.Campaigns;
using Personalization.Contracts.Persistence;

namespace Personalization.Grains.Campaigns;

/// <summary>The list of campaigns; written on every change (changes are a campaign's lifecycle steps, which are rare).</summary>
public sealed class CampaignRegistryGrain(
    [PersistentState("campaigns", StorageNames.Grains)] IPersistentState<CampaignRegistryState> registry) : Grain, ICampaignRegistryGrain
{
    public async Task Put(CampaignSummary campaign)
    {
        if (registry.State.Campaigns.TryGetValue(campaign.CampaignId, out var known) && known == campaign)
        {
            return;
        }

        registry.State.Campaigns[campaign.CampaignId] = campaign;
        await registry.WriteStateAsync();
    }

    public Task<List<string>> List(string? after, int max, CampaignState? state) =>
        Task.FromResult(registry.State.Campaigns.Values
            .Where(c => state is null || c.State == state)
            .Where(c => after is null || string.CompareOrdinal(c.CampaignId, after) > 0)
            .OrderBy(c => c.CampaignId, StringComparer.Ordinal)
            .Take(max)
            .Select(c => c.CampaignId)
            .ToList());

    public Task<bool> Targets(string segment) =>
        Task.FromResult(registry.State.Campaigns.Values.Any(c => c.Segment == segment && c.State is CampaignState.Draft or CampaignState.Scheduled or CampaignState.Running or CampaignState.Paused));
}
