using Orleans;

namespace Personalization.Decisioning.Offers;

/// <summary>How often an offer may be given; 0 means no cap.</summary>
[GenerateSerializer, Immutable]
public sealed record OfferCaps(
    [property: Id(0)] int PerCustomerPerDay = 0,
    [property: Id(1)] int PerCustomerPerWeek = 0,
    [property: Id(2)] int PerCustomerTotal = 0,
    [property: Id(3)] long Total = 0);
