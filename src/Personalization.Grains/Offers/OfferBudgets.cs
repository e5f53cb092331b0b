using System.Collections.Concurrent;
using Personalization.Contracts.Offers;
using Personalization.Decisioning.Offers;

namespace Personalization.Grains.Offers;

/// <summary>
/// A silo's view of offer budgets (total caps) and of journeys' total entry limits, counted the same way:
/// grants go through each offer's (journey's) <see cref="IOfferBudgetGrain"/>, and an offer found spent is remembered here with its cap, so later
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
    public Task<bool> TryTakeAsync(Offer offer) => TryTakeAsync(offer.OfferId, offer.Caps.Total);

    /// <summary>Returns a grant a decision took and did not use.</summary>
    public Task GiveBackAsync(Offer offer) => GiveBackAsync(offer.OfferId);

    /// <summary>
    /// Takes one of any other budget counted the same way (a journey's total entries, keyed
    /// <see cref="JourneyKey"/>); false (and remembered) when it is spent.
    /// </summary>
    public async Task<bool> TryTakeAsync(string key, long total)
    {
        if (await grains.GetGrain<IOfferBudgetGrain>(key).TryTake(total))
        {
            return true;
        }

        _spent[key] = total;
        return false;
    }

    /// <summary>Returns one taken with <see cref="TryTakeAsync(string, long)"/> and not used.</summary>
    public Task GiveBackAsync(string key) => grains.GetGrain<IOfferBudgetGrain>(key).GiveBack();

    /// <summary>Whether this silo knows the budget <paramref name="key"/> to be spent at <paramref name="total"/> (a raised total asks again).</summary>
    public bool IsKnownSpent(string key, long total) => !_spent.IsEmpty && _spent.TryGetValue(key, out var cap) && cap >= total;

    /// <summary>The budget key of a journey's total entry limit (no offer id collides: offer ids have no ':').</summary>
    public static string JourneyKey(string journeyId) => $"journey-entries:{journeyId}";
}
