using Orleans;

namespace Personalization.Decisioning.Customers;

/// <summary>One line of a cart or an order.</summary>
[GenerateSerializer, Immutable]
public sealed record LineItem(
    [property: Id(0)] string ProductId,
    [property: Id(1)] int Quantity,
    [property: Id(2)] double UnitPrice);
