namespace Personalization.Contracts.Campaigns;

/// <summary>The list of campaigns (key <see cref="DefaultKey"/>); each campaign grain keeps its entry current.</summary>
public interface ICampaignRegistryGrain : IGrainWithStringKey
{
    /// <summary>The one registry's key.</summary>
    const string DefaultKey = "default";

    /// <summary>Adds or updates a campaign's entry.</summary>
    Task Put(CampaignSummary campaign);

    /// <summary>Up to <paramref name="max"/> campaign ids after <paramref name="after"/>, optionally only in one state.</summary>
    Task<List<string>> List(string? after, int max, CampaignState? state);

    /// <summary>Whether an unfinished (draft, scheduled, running or paused) campaign targets the segment.</summary>
    Task<bool> Targets(string segment);
}
