using Orleans;

namespace Personalization.Decisioning.Recommendations;

/// <summary>One customer's view or purchase of an item, with the items it goes together with (the same order, the customer's recent history).</summary>
[GenerateSerializer, Immutable]
public sealed record ItemSignal(
    [property: Id(0)] ItemSignalKind Kind,
    [property: Id(1)] string ProductId,
    [property: Id(2)] IReadOnlyList<string> CoItems,
    [property: Id(3)] DateTime At);
