using Orleans;

namespace Personalization.Decisioning.Customers;

/// <summary>An event applied by <see cref="CustomerEvents.Apply"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record EventApplied([property: Id(0)] CustomerEvent Event) : CustomerChange;
