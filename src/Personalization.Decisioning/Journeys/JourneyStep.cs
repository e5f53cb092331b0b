using Orleans;
using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Journeys;

/// <summary>
/// One node of a journey graph. Flat: the fields a kind does not use stay empty (validated by
/// <see cref="JourneyRules"/>); the public contract has one message per kind.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JourneyStep
{
    /// <summary>Unique within the journey; delivery ids and step counts use it.</summary>
    [Id(0)] public string Id { get; init; } = "";

    [Id(1)] public JourneyStepKind Kind { get; init; }

    /// <summary>The step after this one (send, wait); empty ends the journey (completed).</summary>
    [Id(2)] public string Next { get; init; } = "";

    /// <summary>Send: only these offers of the journey; empty means all of them.</summary>
    [Id(3)] public IReadOnlyList<string> OfferIds { get; init; } = [];

    /// <summary>Send: only these channels; empty means the journey's.</summary>
    [Id(4)] public IReadOnlyList<Channel> Channels { get; init; } = [];

    /// <summary>Wait: how long.</summary>
    [Id(5)] public TimeSpan Duration { get; init; }

    /// <summary>Wait: until the customer's best send hour in the next day (outside quiet hours), instead of a duration.</summary>
    [Id(6)] public bool UntilBestHour { get; init; }

    /// <summary>Wait for event: the event awaited.</summary>
    [Id(7)] public CustomerEventType EventType { get; init; }

    /// <summary>Wait for event: how long before the timeout path.</summary>
    [Id(8)] public TimeSpan Timeout { get; init; }

    /// <summary>Wait for event: an event property (order_id, product_id, category or a custom property) that must equal the entry event's.</summary>
    [Id(9)] public string MatchProperty { get; init; } = "";

    /// <summary>Wait for event: the step when the event comes in time; empty completes.</summary>
    [Id(10)] public string OnEvent { get; init; } = "";

    /// <summary>Wait for event: the step after the timeout; empty completes.</summary>
    [Id(11)] public string OnTimeout { get; init; } = "";

    /// <summary>Branch: the rule (the segment rule language, over the customer).</summary>
    [Id(12)] public string Rule { get; init; } = "";

    /// <summary>Branch: the step when the rule matches; empty completes.</summary>
    [Id(13)] public string Then { get; init; } = "";

    /// <summary>Branch: the step otherwise; empty completes.</summary>
    [Id(14)] public string Otherwise { get; init; } = "";

    /// <summary>Split: the weighted paths (two or more; each name once in the journey).</summary>
    [Id(15)] public IReadOnlyList<JourneyPath> Paths { get; init; } = [];

    /// <summary>Wait: until this local time of day in the customer's time zone (the next one after the step is reached), instead of a duration.</summary>
    [Id(16)] public TimeSpan? UntilLocalTime { get; init; }

    /// <summary>The steps this one can lead to (empty ids, which complete, left out).</summary>
    public IEnumerable<string> Successors() => (Kind switch
    {
        JourneyStepKind.Send or JourneyStepKind.Wait => [Next],
        JourneyStepKind.WaitForEvent => [OnEvent, OnTimeout],
        JourneyStepKind.Branch => new[] { Then, Otherwise },
        JourneyStepKind.Split => Paths.Select(p => p.Next),
        _ => [],
    }).Where(s => s.Length > 0);
}
