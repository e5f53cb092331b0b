namespace Personalization.Decisioning.Journeys;

/// <summary>How an enrollment ended; numbers are stored in grain state and match <c>personalization.v1.JourneyEndReason</c>.</summary>
public enum JourneyEnd
{
    /// <summary>Still enrolled.</summary>
    None = 0,

    /// <summary>Ran past its last step.</summary>
    Completed = 1,

    /// <summary>An exit event arrived.</summary>
    ExitEvent = 2,

    /// <summary>The exit rule matched after an event.</summary>
    ExitRule = 3,

    /// <summary>Reached an exit step.</summary>
    ExitStep = 4,

    /// <summary>The journey was archived.</summary>
    Archived = 5,
}
