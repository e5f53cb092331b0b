namespace Personalization.Decisioning.Journeys;

/// <summary>A journey's lifecycle: Draft → Active ⇄ Paused → Archived; numbers match <c>personalization.v1.JourneyState</c>.</summary>
public enum JourneyStatus
{
    Unspecified = 0,

    /// <summary>Defined, not entering anyone.</summary>
    Draft = 1,

    /// <summary>Entering customers and running their enrollments.</summary>
    Active = 2,

    /// <summary>No entries; enrollments hold at their step until resumed (waits that end meanwhile run on resume).</summary>
    Paused = 3,

    /// <summary>Over for good: no entries, and every enrollment ends (reason archived) when next woken or touched.</summary>
    Archived = 4,
}
