using Personalization.Contracts.Offers;
using Personalization.Contracts.Persistence;
using Personalization.Decisioning.Offers;

namespace Personalization.Grains.Offers;

/// <summary>Holds the offer catalog; every change is written before the call returns (changes are rare and must not be lost).</summary>
public sealed class OfferCatalogGrain(
    [PersistentState("catalog", StorageNames.Grains)] IPersistentState<OfferCatalogState> catalog,
    TimeProvider time) : Grain, IOfferCatalogGrain
{
    private int _unsavedResults;

    private Dictionary<string, Offer> Offers => catalog.State.Offers;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<CatalogResult> Create(Offer offer)
    {
        if (Offers.TryGetValue(offer.OfferId, out var existing))
        {
            return new CatalogResult(CatalogStatus.AlreadyExists, existing);
        }

        var saved = offer with { Status = OfferStatus.Active, CreatedAt = Now, UpdatedAt = Now };
        return await SaveAsync(saved);
    }

    public async Task<CatalogResult> Update(Offer offer)
    {
        if (!Offers.TryGetValue(offer.OfferId, out var current))
        {
            return new CatalogResult(CatalogStatus.NotFound, null);
        }

        return await SaveAsync(offer with { Status = current.Status, CreatedAt = current.CreatedAt, UpdatedAt = Now });
    }

    public Task<CatalogResult> Get(string offerId) =>
        Task.FromResult(Offers.TryGetValue(offerId, out var offer) ? new CatalogResult(CatalogStatus.Ok, offer) : new CatalogResult(CatalogStatus.NotFound, null));

    public Task<OfferPage> List(int pageSize, string? after, bool includeArchived, string? tag)
    {
        var matching = Offers.Values
            .Where(o => includeArchived || o.Status == OfferStatus.Active)
            .Where(o => string.IsNullOrEmpty(tag) || o.Tags.Contains(tag))
            .OrderBy(o => o.OfferId, StringComparer.Ordinal)
            .ToList();
        var page = matching.Where(o => after is null || string.CompareOrdinal(o.OfferId, after) > 0).Take(pageSize + 1).ToList();
        var more = page.Count > pageSize;
        if (more)
        {
            page.RemoveAt(pageSize);
        }

        return Task.FromResult(new OfferPage(page, more ? page[^1].OfferId : null, matching.Count));
    }

    public async Task<CatalogResult> Archive(string offerId)
    {
        if (!Offers.TryGetValue(offerId, out var current))
        {
            return new CatalogResult(CatalogStatus.NotFound, null);
        }

        return current.Status == OfferStatus.Archived
            ? new CatalogResult(CatalogStatus.Ok, current)
            : await SaveAsync(current with { Status = OfferStatus.Archived, UpdatedAt = Now });
    }

    public Task<IReadOnlyList<LiveOffer>> Live()
    {
        var now = Now;
        return Task.FromResult<IReadOnlyList<LiveOffer>>([.. Offers.Values
            .Where(o => o.IsLive(now))
            .OrderBy(o => o.OfferId, StringComparer.Ordinal)
            .Select(o => catalog.State.Results.TryGetValue(o.OfferId, out var r) ? new LiveOffer(o, r[0], r[1]) : new LiveOffer(o, 0, 0))]);
    }

    public async Task RecordResult(string offerId, bool shown, bool succeeded)
    {
        if (!catalog.State.Results.TryGetValue(offerId, out var results))
        {
            catalog.State.Results[offerId] = results = new long[2];
        }

        results[0] += shown ? 1 : 0;
        results[1] += succeeded ? 1 : 0;
        // Results are statistics, not records: written every 50 changes and on deactivation.
        if (++_unsavedResults >= 50)
        {
            await catalog.WriteStateAsync();
            _unsavedResults = 0;
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_unsavedResults > 0)
        {
            await catalog.WriteStateAsync(cancellationToken);
        }
    }

    private async Task<CatalogResult> SaveAsync(Offer offer)
    {
        var previous = Offers.GetValueOrDefault(offer.OfferId);
        Offers[offer.OfferId] = offer;
        try
        {
            await catalog.WriteStateAsync();
        }
        catch
        {
            // A failed write changes nothing: put the previous definition back.
            if (previous is null)
            {
                Offers.Remove(offer.OfferId);
            }
            else
            {
                Offers[offer.OfferId] = previous;
            }

            throw;
        }

        return new CatalogResult(CatalogStatus.Ok, offer);
    }
}
