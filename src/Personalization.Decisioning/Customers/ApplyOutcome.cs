namespace Personalization.Decisioning.Customers;

/// <summary>What applying an event did.</summary>
public enum ApplyOutcome
{
    /// <summary>The state changed.</summary>
    Applied,

    /// <summary>The event id was seen recently; nothing changed.</summary>
    Duplicate,
}
