namespace Personalization.Contracts.Customers;

/// <summary>The result of tracking events on one customer grain.</summary>
/// <param name="Status">Applied, duplicate, or forward elsewhere.</param>
/// <param name="CustomerId">The grain key the events landed on, or the key to forward them to.</param>
/// <param name="Applied">Events applied.</param>
/// <param name="Duplicates">Events skipped as recent duplicates.</param>
[GenerateSerializer, Immutable]
public sealed record TrackResult(
    [property: Id(0)] TrackStatus Status,
    [property: Id(1)] string CustomerId,
    [property: Id(2)] int Applied,
    [property: Id(3)] int Duplicates);
