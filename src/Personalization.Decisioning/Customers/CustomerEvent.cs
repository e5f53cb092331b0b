using Orleans;

namespace Personalization.Decisioning.Customers;

/// <summary>
/// One event about one customer, as the domain sees it: the public contract's event with its
/// payload flattened into the fields its type uses. Built and validated at the edge.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CustomerEvent
{
    /// <summary>Unique per event; the idempotency key.</summary>
    [Id(0)] public required string EventId { get; init; }

    /// <summary>The known customer, if the sender knows it.</summary>
    [Id(1)] public string? CustomerId { get; init; }

    /// <summary>The visitor's anonymous id, when no customer id is known.</summary>
    [Id(2)] public string? AnonymousId { get; init; }

    [Id(3)] public required CustomerEventType Type { get; init; }

    [Id(4)] public Channel Channel { get; init; }

    /// <summary>Event time (UTC); aggregates that depend on time use it, not the arrival time.</summary>
    [Id(5)] public required DateTime OccurredAt { get; init; }

    /// <summary>Free-form typed properties.</summary>
    [Id(6)] public Dictionary<string, TraitValue>? Properties { get; init; }

    /// <summary>Purchase total, conversion value.</summary>
    [Id(7)] public double Amount { get; init; }

    [Id(8)] public string? Currency { get; init; }

    [Id(9)] public string? OrderId { get; init; }

    /// <summary>Order lines (purchase) or the one item added or removed (cart).</summary>
    [Id(10)] public List<LineItem>? Items { get; init; }

    [Id(11)] public string? ProductId { get; init; }

    [Id(12)] public string? Category { get; init; }

    [Id(13)] public string? Query { get; init; }

    /// <summary>Why the customer contacted the call center or complained.</summary>
    [Id(14)] public string? Reason { get; init; }

    [Id(15)] public string? MessageId { get; init; }

    [Id(16)] public string? CampaignId { get; init; }

    [Id(17)] public string? DecisionId { get; init; }

    [Id(18)] public string? OfferId { get; init; }

    /// <summary>A permanent delivery failure (the address is unreachable).</summary>
    [Id(19)] public bool HardBounce { get; init; }

    /// <summary>The consent purpose, e.g. "marketing".</summary>
    [Id(20)] public string? Purpose { get; init; }

    [Id(21)] public Dictionary<string, TraitValue>? Traits { get; init; }

    [Id(22)] public string? TimeZone { get; init; }

    /// <summary>For IDENTIFY: the anonymous id that merges into this customer.</summary>
    [Id(23)] public string? LinkedAnonymousId { get; init; }

    [Id(24)] public string? FromPlan { get; init; }

    [Id(25)] public string? ToPlan { get; init; }

    /// <summary>Whether a contact was resolved.</summary>
    [Id(26)] public bool Resolved { get; init; }
}
