using Personalization.Contracts.Offers;
using Personalization.Decisioning.Products;

namespace Personalization.Contracts.Products;

/// <summary>The outcome of a catalog call and the product as it now stands.</summary>
[GenerateSerializer, Immutable]
public sealed record ProductResult([property: Id(0)] CatalogStatus Status, [property: Id(1)] Product? Product);
