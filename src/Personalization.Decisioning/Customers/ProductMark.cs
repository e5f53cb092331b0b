using Orleans;

namespace Personalization.Decisioning.Customers;

/// <summary>A product (or a search term) and the latest event time it was seen.</summary>
[GenerateSerializer, Immutable]
public readonly record struct ProductMark([property: Id(0)] string Id, [property: Id(1)] DateTime At);
