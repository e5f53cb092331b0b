using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Campaigns;

/// <summary>Stable random assignment of members to a campaign's variants, and what a variant makes of the campaign.</summary>
public static class CampaignVariants
{
    /// <summary>
    /// The variant (0-based) for a member: a hash of campaign and customer, uniform in [0, 1), cut by
    /// the cumulative weights. The same on every silo and run, and independent of the holdout's draw.
    /// </summary>
    public static int Assign(string campaignId, string customerId, IReadOnlyList<CampaignVariant> variants) =>
        Measurement.WeightedDraw.Pick(EventIdHash.Unit($"campaign-variant:{campaignId}:{customerId}"), [.. variants.Select(v => v.Weight)]);

    /// <summary>The campaign as one variant sends it: its offers, channels and window in place of the campaign's where set.</summary>
    public static CampaignDefinition Apply(CampaignDefinition campaign, CampaignVariant variant) => campaign with
    {
        OfferIds = variant.OfferIds.Count > 0 ? variant.OfferIds : campaign.OfferIds,
        Channels = variant.Channels.Count > 0 ? variant.Channels : campaign.Channels,
        WindowStartHour = variant.WindowStartHour ?? campaign.WindowStartHour,
        WindowEndHour = variant.WindowEndHour ?? campaign.WindowEndHour,
    };
}
