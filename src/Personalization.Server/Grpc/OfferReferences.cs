using Personalization.Contracts.Offers;
using Personalization.Decisioning.Offers;

namespace Personalization.Server.Grpc;

/// <summary>Checks that offers a campaign or journey names exist and are active, naming the field.</summary>
public static class OfferReferences
{
    /// <summary>One problem per unknown or archived offer, as "field: reason".</summary>
    public static async Task<List<string>> ProblemsAsync(IOfferCatalogGrain catalog, IEnumerable<string> offerIds, string field)
    {
        var problems = new List<string>();
        foreach (var offerId in offerIds)
        {
            var offer = await catalog.Get(offerId);
            if (offer.Status == CatalogStatus.NotFound)
            {
                problems.Add($"{field}: no offer '{offerId}'.");
            }
            else if (offer.Offer!.Status != OfferStatus.Active)
            {
                problems.Add($"{field}: offer '{offerId}' is archived.");
            }
        }

        return problems;
    }
}
