using Orleans;

namespace Personalization.Decisioning.Deliveries;

/// <summary>
/// A customer's answer for one due delivery: release it (<see cref="Drop"/> None, no <see cref="DeferTo"/>),
/// drop it for a reason, or hold it until <see cref="DeferTo"/> (the end of the customer's quiet hours).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DeliveryVerdict(
    [property: Id(0)] string DeliveryId,
    [property: Id(1)] DeliveryDrop Drop,
    [property: Id(2)] DateTime? DeferTo = null)
{
    /// <summary>Whether the delivery goes to the channel queue now.</summary>
    public bool Released => Drop == DeliveryDrop.None && DeferTo is null;

    /// <summary>The label of a drop reason in results and metrics (<c>no_consent</c>, <c>hard_bounce</c>, ...).</summary>
    public static string Label(DeliveryDrop drop) => Customers.TraitParsing.SnakeCase(drop.ToString());
}
