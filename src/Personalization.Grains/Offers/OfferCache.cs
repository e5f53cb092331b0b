using Personalization.Contracts.Offers;

namespace Personalization.Grains.Offers;

/// <summary>
/// The live offers as this silo knows them, so a decision does not call the one catalog grain. Read
/// from the catalog at most once per <see cref="MaxAge"/>, and at once when a caller names an offer
/// the cached copy does not have (a just-created offer is usable immediately). Catalog changes to
/// existing offers, and the population results exploration uses, reach every silo within a second.
/// </summary>
public sealed class OfferCache(IGrainFactory grains, TimeProvider time)
{
    /// <summary>How stale the live offers may be.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private (IReadOnlyList<LiveOffer> Offers, HashSet<string> Ids, long At)? _cached;
    private Task<IReadOnlyList<LiveOffer>>? _refresh;

    /// <summary>The live offers; fresh from the catalog when <paramref name="required"/> names one the cache lacks.</summary>
    public async ValueTask<IReadOnlyList<LiveOffer>> GetAsync(IReadOnlyCollection<string> required)
    {
        if (_cached is { } cached && time.GetElapsedTime(cached.At) < MaxAge && ContainsAll(cached.Ids, required))
        {
            return cached.Offers;
        }

        Task<IReadOnlyList<LiveOffer>> refresh;
        lock (_gate)
        {
            if (_refresh is null || _refresh.IsCompleted)
            {
                _refresh = RefreshAsync();
            }

            refresh = _refresh;
        }

        return await refresh;
    }

    private async Task<IReadOnlyList<LiveOffer>> RefreshAsync()
    {
        var started = time.GetTimestamp();
        var offers = await grains.GetGrain<IOfferCatalogGrain>(IOfferCatalogGrain.DefaultKey).Live();
        _cached = (offers, offers.Select(o => o.Offer.OfferId).ToHashSet(StringComparer.Ordinal), started);
        return offers;
    }

    private static bool ContainsAll(HashSet<string> ids, IReadOnlyCollection<string> required)
    {
        foreach (var id in required)
        {
            if (!ids.Contains(id))
            {
                return false;
            }
        }

        return true;
    }
}
