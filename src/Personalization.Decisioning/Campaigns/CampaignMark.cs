using Orleans;

namespace Personalization.Decisioning.Campaigns;

/// <summary>What a campaign decided for one customer: kept in the customer's state so the same campaign never decides them twice.</summary>
[GenerateSerializer]
public sealed class CampaignMark
{
    [Id(0)] public string CampaignId { get; set; } = "";

    [Id(1)] public DateTime DecidedAt { get; set; }

    [Id(2)] public CampaignSuppression Suppression { get; set; }

    /// <summary>The deliveries queued for the customer (empty when suppressed).</summary>
    [Id(3)] public List<CampaignDelivery> Deliveries { get; set; } = [];

    /// <summary>Whether a purchase after the decision was attributed to this campaign (treated or holdout).</summary>
    [Id(4)] public bool Converted { get; set; }
}
