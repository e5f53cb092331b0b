using Personalization.Decisioning.Offers;

namespace Personalization.Contracts.Offers;

/// <summary>The outcome of a catalog call and the offer as it now stands.</summary>
[GenerateSerializer, Immutable]
public sealed record CatalogResult([property: Id(0)] CatalogStatus Status, [property: Id(1)] Offer? Offer);
