using Personalization.Decisioning.Offers;

namespace Personalization.Contracts.Offers;

/// <summary>An offer that can be chosen now, with its population results (showings and successes) for exploration.</summary>
[GenerateSerializer, Immutable]
public sealed record LiveOffer([property: Id(0)] Offer Offer, [property: Id(1)] long Trials, [property: Id(2)] long Successes);
