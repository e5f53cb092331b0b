using Personalization.Decisioning.Offers;

namespace Personalization.Grains.Offers;

/// <summary>The catalog's persisted state: offers by id.</summary>
[GenerateSerializer]
public sealed class OfferCatalogState
{
    [Id(0)] public Dictionary<string, Offer> Offers { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Showings and successes per offer, for exploration.</summary>
    [Id(1)] public Dictionary<string, long[]> Results { get; set; } = new(StringComparer.Ordinal);
}
