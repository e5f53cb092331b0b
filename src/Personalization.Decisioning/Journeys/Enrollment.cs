using Orleans;

namespace Personalization.Decisioning.Journeys;

/// <summary>
/// A customer's place in one journey (at most one per journey): the version entered, the step, when
/// that step is due (a wait's end, a timeout, a deferred send), the entry event's match value, and
/// how many times the customer entered (numbers delivery ids). An ended one stays, as the record the
/// re-entry policy reads, until the customer enters again. Replaced whole, never changed in place,
/// so the change log can carry it as is.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record Enrollment
{
    [Id(0)] public string JourneyId { get; init; } = "";

    [Id(1)] public int Version { get; init; }

    /// <summary>The current step's id (the last one, once ended).</summary>
    [Id(2)] public string Step { get; init; } = "";

    /// <summary>Entries into this journey so far, this one included.</summary>
    [Id(3)] public int Number { get; init; }

    [Id(4)] public DateTime EnteredAt { get; init; }

    /// <summary>When the current step wants to be woken; null when it waits for nothing timed.</summary>
    [Id(5)] public DateTime? DueAt { get; init; }

    /// <summary>The entry event's value of the journey's match property, if any.</summary>
    [Id(6)] public string? Match { get; init; }

    /// <summary>When it ended; null while enrolled.</summary>
    [Id(7)] public DateTime? EndedAt { get; init; }

    [Id(8)] public JourneyEnd End { get; init; }

    /// <summary>The path name of the last split step taken (the experiment arm); null before any split.</summary>
    [Id(9)] public string? Arm { get; init; }

    /// <summary>In the journey's holdout: moves through the steps but is sent nothing (the baseline of the results).</summary>
    [Id(10)] public bool Holdout { get; init; }

    /// <summary>When the journey's goal event came within its window after entry; null until then (counted once).</summary>
    [Id(11)] public DateTime? ConvertedAt { get; init; }

    /// <summary>For a segment-join entry: the segment joined (with <see cref="JoinedGeneration"/>), so a replay restores the membership that entered.</summary>
    [Id(12)] public string? JoinedSegment { get; init; }

    /// <summary>The generation of <see cref="JoinedSegment"/> at the join.</summary>
    [Id(13)] public long JoinedGeneration { get; init; }

    /// <summary>The results group: "holdout", or "treated".</summary>
    public string Group => Holdout ? JourneyOutcomes.Holdout : JourneyOutcomes.Treated;

    /// <summary>Whether the customer is still in the journey.</summary>
    public bool Active => EndedAt is null;
}
