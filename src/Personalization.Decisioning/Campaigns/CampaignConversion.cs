using Orleans;

namespace Personalization.Decisioning.Campaigns;

/// <summary>
/// A purchase attributed to a campaign by one member, told to the campaign so it can count it in the
/// member's arm: the member's answer (suppression, variant, whether after the winner), the member's
/// revenue for the campaign before it, the amount, whether it is the member's first (a conversion), and the member's pre-period purchases (the CUPED covariate).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CampaignConversion(
    [property: Id(0)] string CampaignId,
    [property: Id(1)] CampaignSuppression Suppression,
    [property: Id(2)] int Variant,
    [property: Id(3)] bool AfterWinner,
    [property: Id(4)] double RevenueBefore,
    [property: Id(5)] double Amount,
    [property: Id(6)] bool First,
    [property: Id(7)] int PrePurchases = 0);
