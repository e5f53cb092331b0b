namespace Personalization.Decisioning.Journeys;

/// <summary>What enters a customer into a journey; numbers are stored in grain state, never reuse one.</summary>
public enum JourneyEntryKind
{
    /// <summary>An event of <see cref="JourneyDefinition.EntryEvent"/> (with the optional entry rule).</summary>
    Event = 0,

    /// <summary>The customer joining <see cref="JourneyDefinition.EntrySegment"/> (each join enters once).</summary>
    SegmentJoin = 1,

    /// <summary>The yearly return of a date trait (birthday, membership anniversary) in the customer's time zone.</summary>
    YearlyDate = 2,
}
