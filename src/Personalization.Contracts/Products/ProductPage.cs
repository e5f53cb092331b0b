using Personalization.Decisioning.Products;

namespace Personalization.Contracts.Products;

/// <summary>A page of products, ordered by id.</summary>
/// <param name="Products">The products on this page.</param>
/// <param name="NextAfter">The last id on this page when more follow; null on the last page.</param>
/// <param name="Total">Products matching the filter across all pages.</param>
[GenerateSerializer, Immutable]
public sealed record ProductPage([property: Id(0)] IReadOnlyList<Product> Products, [property: Id(1)] string? NextAfter, [property: Id(2)] int Total);
