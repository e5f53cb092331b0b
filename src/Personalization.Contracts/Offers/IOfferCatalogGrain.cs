using Personalization.Decisioning.Offers;

namespace Personalization.Contracts.Offers;

/// <summary>The offer catalog (key: <see cref="DefaultKey"/>): every offer and message decisions choose from.</summary>
public interface IOfferCatalogGrain : IGrainWithStringKey
{
    /// <summary>The one catalog of a deployment.</summary>
    const string DefaultKey = "default";

    /// <summary>Adds a validated offer; AlreadyExists when the id is taken.</summary>
    Task<CatalogResult> Create(Offer offer);

    /// <summary>Replaces an offer's definition, keeping its creation time; NotFound when missing.</summary>
    Task<CatalogResult> Update(Offer offer);

    /// <summary>One offer; NotFound when missing.</summary>
    Task<CatalogResult> Get(string offerId);

    /// <summary>A page of offers ordered by id, after <paramref name="after"/>.</summary>
    Task<OfferPage> List(int pageSize, string? after, bool includeArchived, string? tag);

    /// <summary>Retires an offer: it is never chosen again and its history stays.</summary>
    Task<CatalogResult> Archive(string offerId);

    /// <summary>Offers that can be chosen now, with their results.</summary>
    Task<IReadOnlyList<LiveOffer>> Live();

    /// <summary>Counts a showing of an offer, and whether it succeeded (clicked or converted).</summary>
    Task RecordResult(string offerId, bool shown, bool succeeded);
}
