using Orleans;

namespace Personalization.Decisioning.Campaigns;

/// <summary>
/// A member's answer to a campaign: deliveries or why none, the variant (1-based, 0 for none) and
/// whether it was the auto-winner sent after the experiment, the pre-period purchases (the CUPED covariate), whether the member
/// was held for the winner and decided on the release walk; <paramref name="Repeat"/> when it was decided earlier (the same
/// answer again). A held member's answer is <see cref="CampaignSuppression.Held"/>: not a decision, no mark.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CampaignDecision(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] CampaignSuppression Suppression,
    [property: Id(2)] IReadOnlyList<CampaignDelivery> Deliveries,
    [property: Id(3)] bool Repeat,
    [property: Id(4)] int Variant = 0,
    [property: Id(5)] bool AfterWinner = false,
    [property: Id(6)] int PrePurchases = 0,
    [property: Id(7)] bool Released = false)
{
    /// <summary>The answer a campaign's mark keeps.</summary>
    public static CampaignDecision Of(string customerId, CampaignMark mark, bool repeat) =>
        new(customerId, mark.Suppression, mark.Deliveries, repeat, mark.Variant, mark.AfterWinner, mark.PrePurchases, mark.Released);
}
