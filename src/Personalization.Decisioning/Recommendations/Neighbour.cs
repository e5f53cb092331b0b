using Orleans;

namespace Personalization.Decisioning.Recommendations;

/// <summary>An item often seen with another, and how often (an upper bound once the list was full: see <see cref="ItemStatistics"/>).</summary>
[GenerateSerializer, Immutable]
public readonly record struct Neighbour([property: Id(0)] string ProductId, [property: Id(1)] double Weight);
