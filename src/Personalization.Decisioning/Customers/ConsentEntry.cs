using Orleans;

namespace Personalization.Decisioning.Customers;

/// <summary>The latest consent decision for one purpose on one channel; the latest event time wins.</summary>
[GenerateSerializer, Immutable]
public sealed record ConsentEntry([property: Id(0)] bool Granted, [property: Id(1)] DateTime At);
