using Orleans;

namespace Personalization.Decisioning.Recommendations;

/// <summary>An item rule and the factor (above 0) that multiplies the score of the items it matches.</summary>
[GenerateSerializer, Immutable]
public sealed record ItemBoost([property: Id(0)] string Rule, [property: Id(1)] double Weight);
