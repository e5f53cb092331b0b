using Personalization.Decisioning.Offers;

namespace Personalization.Contracts.Offers;

/// <summary>A page of offers, ordered by id.</summary>
/// <param name="Offers">The offers on this page.</param>
/// <param name="NextAfter">The last id on this page when more follow; null on the last page.</param>
/// <param name="Total">Offers matching the filter across all pages.</param>
[GenerateSerializer, Immutable]
public sealed record OfferPage([property: Id(0)] IReadOnlyList<Offer> Offers, [property: Id(1)] string? NextAfter, [property: Id(2)] int Total);
