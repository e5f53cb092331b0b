using Personalization.Contracts.Offers;
using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Deliveries;

namespace Personalization.Grains.Customers;

/// <summary>
/// The send-time check: the silo's delivery releaser asks the customer, once per scheduled message, about
/// its deliveries that came due; <see cref="DeliveryChecks"/> decides. Reads only: an erased customer's
/// empty activation answers "erased" and writes nothing, so no profile comes back.
/// </summary>
public sealed partial class CustomerGrain
{
    public async Task<List<DeliveryVerdict>> CheckDeliveries(List<CampaignDelivery> deliveries)
    {
        var now = time.GetUtcNow().UtcDateTime;
        IReadOnlyList<LiveOffer> live = State.IsEmpty ? [] : await offers.GetAsync([]);
        return [.. deliveries.Select(d =>
        {
            // An offer archived since the decision is checked against marketing consent, the stricter purpose.
            var purpose = live.FirstOrDefault(o => o.Offer.OfferId == d.OfferId)?.Offer.ConsentPurpose ?? CustomerEvents.DefaultPurpose;
            return DeliveryChecks.Check(State, d, purpose, policy.Value, now);
        })];
    }
}
