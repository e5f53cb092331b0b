namespace Personalization.Decisioning.Journeys;

/// <summary>Whether a customer may enter a journey again; numbers match <c>personalization.v1.ReEntryPolicy</c>.</summary>
public enum ReEntryPolicy
{
    /// <summary>Once per customer, ever (the default).</summary>
    Never = 0,

    /// <summary>Again once the previous enrollment ended.</summary>
    AfterExit = 1,

    /// <summary>Again once the previous enrollment ended and <see cref="JourneyDefinition.ReEntryAfter"/> passed since it began.</summary>
    AfterPeriod = 2,
}
