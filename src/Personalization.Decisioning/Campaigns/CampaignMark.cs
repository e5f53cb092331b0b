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

    /// <summary>The variant the member was assigned, 1-based; 0 when the campaign runs no experiment (or the member was not randomised).</summary>
    [Id(5)] public int Variant { get; set; }

    /// <summary>Whether the member was sent the auto-winner after the experiment stopped (not randomised: kept out of the variants' results).</summary>
    [Id(6)] public bool AfterWinner { get; set; }

    /// <summary>Purchases attributed to this campaign by the member so far.</summary>
    [Id(7)] public double Revenue { get; set; }

    /// <summary>The member's purchases in the <see cref="CampaignDecisions.PrePeriodDays"/> days before the decision: the CUPED covariate, known before the campaign could act.</summary>
    [Id(8)] public int PrePurchases { get; set; }

    /// <summary>Whether the member was held for the winner and decided on the release walk.</summary>
    [Id(9)] public bool Released { get; set; }
}
