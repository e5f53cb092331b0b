namespace Personalization.Decisioning.Journeys;

/// <summary>What a journey step does; numbers are stored in grain state, never reuse one.</summary>
public enum JourneyStepKind
{
    Unspecified = 0,

    /// <summary>Decides among the journey's offers and channels with the decision engine and queues the delivery.</summary>
    Send = 1,

    /// <summary>Waits a duration, until a local time of day, or until the customer's best send hour.</summary>
    Wait = 2,

    /// <summary>Waits for an event (optionally matching a property of the entry event) with a timeout: a path for each.</summary>
    WaitForEvent = 3,

    /// <summary>Takes one of two paths by a rule over the customer.</summary>
    Branch = 4,

    /// <summary>Ends the enrollment.</summary>
    Exit = 5,

    /// <summary>Takes one of several weighted paths, the same one for a customer every time (experiment arms).</summary>
    Split = 6,
}
