using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Decisions;

namespace Personalization.Decisioning.Journeys;

/// <summary>
/// What a send step did: the delivery to queue (or why none), the decision records it left in the
/// customer's memory (logged so a replay restores them), or a later moment to try again (quiet hours).
/// </summary>
public sealed record JourneySendResult(
    CampaignSuppression Suppression,
    IReadOnlyList<CampaignDelivery> Deliveries,
    IReadOnlyList<DecisionRecord> Records,
    DateTime? DeferUntil)
{
    /// <summary>Nothing now; the step is tried again at <paramref name="at"/>.</summary>
    public static JourneySendResult Deferred(DateTime at) => new(CampaignSuppression.QuietHours, [], [], at);
}
