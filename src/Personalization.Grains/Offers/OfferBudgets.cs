using System.Collections.Concurrent;
using Personalization.Contracts.Offers;
using Personalization.Decisioning.Offers;

namespace Personalization.Grains.Offers;

/// <summary>
/// A silo's view of offer budgets (total caps): grants go through each offer's
/// <see cref="IOfferBudgetGrain"/>, and an offer found spent is remembered here with its cap, so later
/// decisions on this silo leave it out without a call. Offers without a total cap never reach this.
/// </summary>
public sealed class OfferBudgets(IGrainFactory grains)
{
    // Offer id → the cap it was found spent at; a raised cap asks the budget again.
    private readonly ConcurrentDictionary<string, long> _spent = new(StringComparer.Ordinal);

    /// <summary>Whether this silo knows of any spent budget (when not, <see cref="KnownSpent"/> is null for any offers).</summary>
    public bool AnySpent => !_spent.IsEmpty;

    /// <summary>The offers among <paramref name="offers"/> this silo knows to have spent their budget; null when none.</summary>
    public HashSet<string>? KnownSpent(IEnumerable<Offer> offers)
    {
        HashSet<string>? spent = null;
        if (_spent.IsEmpty)
        {
            return spent;
        }

        foreach (var offer in offers)
        {
            if (offer.Caps.Total > 0 && _spent.TryGetValue(offer.OfferId, out var cap) && cap >= offer.Caps.Total)
            {
                (spent ??= new(StringComparer.Ordinal)).Add(offer.OfferId);
            }
        }

        return spent;
    }

    /// <summary>Takes one grant of a capped offer; false (and remembered) when its budget is spent.</summary>
    public async Task<bool> TryTakeAsync(Offer offer)
    {
        if (await grains.GetGrain<IOfferBudgetGrain>(offer.OfferId).TryTake(offer.Caps.Total))
        {
            return true;
        }

        _spent[offer.OfferId] = offer.Caps.Total;
        return false;
    }

    /// <summary>Returns a grant a decision took and did not use.</summary>
    public Task GiveBackAsync(Offer offer) => grains.GetGrain<IOfferBudgetGrain>(offer.OfferId).GiveBack();
}
