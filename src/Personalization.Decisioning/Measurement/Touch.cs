using Orleans;
using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Measurement;

/// <summary>
/// One marketing touch a customer had: when, what kind, on which channel, and which campaign or
/// journey and offer it carried (each empty when unknown). Kept compactly in the customer's state
/// for the attribution window (<see cref="Touches"/>).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Touch(
    [property: Id(0)] DateTime At,
    [property: Id(1)] TouchKind Kind,
    [property: Id(2)] Channel Channel,
    [property: Id(3)] string? CampaignId,
    [property: Id(4)] string? JourneyId,
    [property: Id(5)] string? OfferId);
