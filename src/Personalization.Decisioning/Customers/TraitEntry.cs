using Orleans;

namespace Personalization.Decisioning.Customers;

/// <summary>A trait's value and the event time that set it; a later event time wins.</summary>
[GenerateSerializer, Immutable]
public sealed record TraitEntry([property: Id(0)] TraitValue Value, [property: Id(1)] DateTime SetAt);
