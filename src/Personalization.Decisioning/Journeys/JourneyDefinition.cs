using Orleans;
using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Journeys;

/// <summary>
/// One version of a journey: an entry event (type and optional rule), a graph of steps starting at
/// the first, exit criteria checked on every event, a re-entry policy, the offers and channels its
/// sends choose among, and a priority (higher is entered first when one event enters several).
/// Validated by <see cref="JourneyRules"/>; a saved version never changes (an update makes a new one).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record JourneyDefinition
{
    [Id(0)] public string JourneyId { get; init; } = "";

    /// <summary>1 for the first; each update adds one. Customers finish on the version they entered.</summary>
    [Id(1)] public int Version { get; init; }

    [Id(2)] public string Name { get; init; } = "";

    /// <summary>The event that enters a customer.</summary>
    [Id(3)] public CustomerEventType EntryEvent { get; init; }

    /// <summary>Optional rule over the customer after the entry event is applied (e.g. <c>cart_value &gt; 20</c>).</summary>
    [Id(4)] public string EntryRule { get; init; } = "";

    /// <summary>The steps; the first is where an enrollment starts.</summary>
    [Id(5)] public IReadOnlyList<JourneyStep> Steps { get; init; } = [];

    /// <summary>Events that end an enrollment at once, whatever step it is at.</summary>
    [Id(6)] public IReadOnlyList<CustomerEventType> ExitEvents { get; init; } = [];

    /// <summary>Optional rule that ends an enrollment when it matches after an event.</summary>
    [Id(7)] public string ExitRule { get; init; } = "";

    [Id(8)] public ReEntryPolicy ReEntry { get; init; }

    /// <summary>For <see cref="ReEntryPolicy.AfterPeriod"/>: the least time between two entries.</summary>
    [Id(9)] public TimeSpan ReEntryAfter { get; init; }

    /// <summary>The offers send steps choose among.</summary>
    [Id(10)] public IReadOnlyList<string> OfferIds { get; init; } = [];

    /// <summary>Allowed channels; empty means each offer's own outbound channels.</summary>
    [Id(11)] public IReadOnlyList<Channel> Channels { get; init; } = [];

    /// <summary>Higher first when one event enters several journeys.</summary>
    [Id(12)] public int Priority { get; init; }

    [Id(13)] public DateTime CreatedAt { get; init; }

    /// <summary>Entries per customer at most, whatever the re-entry policy allows (0: no limit).</summary>
    [Id(21)] public int MaxEntries { get; init; }

    /// <summary>
    /// Journeys sharing a non-empty group exclude each other: a customer active in one enters no other of
    /// the group (empty: none).
    /// </summary>
    [Id(22)] public string ExclusionGroup { get; init; } = "";

    /// <summary>Entries of all customers together at most, across the cluster and all versions (0: no limit).</summary>
    [Id(23)] public long MaxTotalEntries { get; init; }

    /// <summary>What enters a customer: an event (the default), a segment join or a yearly date.</summary>
    [Id(14)] public JourneyEntryKind EntryKind { get; init; }

    /// <summary>For <see cref="JourneyEntryKind.SegmentJoin"/>: the segment whose joins enter.</summary>
    [Id(15)] public string EntrySegment { get; init; } = "";

    /// <summary>For <see cref="JourneyEntryKind.YearlyDate"/>: the date trait (e.g. <c>birthday</c>) whose month and day enter each year.</summary>
    [Id(16)] public string EntryDateTrait { get; init; } = "";

    /// <summary>For <see cref="JourneyEntryKind.YearlyDate"/>: the local time of day the customer enters on the date.</summary>
    [Id(17)] public TimeSpan EntryLocalTime { get; init; }

    /// <summary>The goal event (e.g. a purchase) counted as a conversion within <see cref="GoalWithin"/> of entry; Unspecified for none.</summary>
    [Id(18)] public CustomerEventType GoalEvent { get; init; }

    /// <summary>The goal's window after entry.</summary>
    [Id(19)] public TimeSpan GoalWithin { get; init; }

    /// <summary>The share of entrants (0 to 0.5) held out: they move through the steps but are sent nothing.</summary>
    [Id(20)] public double HoldoutShare { get; init; }

    /// <summary>The step with this id, or null.</summary>
    public JourneyStep? Step(string id)
    {
        foreach (var step in Steps)
        {
            if (step.Id == id)
            {
                return step;
            }
        }

        return null;
    }

    /// <summary>The one event property wait-for-event steps match on (validation allows at most one), or empty.</summary>
    public string MatchProperty => Steps.FirstOrDefault(s => s.MatchProperty.Length > 0)?.MatchProperty ?? "";
}
