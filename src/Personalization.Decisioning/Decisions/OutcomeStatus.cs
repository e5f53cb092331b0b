namespace Personalization.Decisioning.Decisions;

/// <summary>What recording an outcome did.</summary>
public enum OutcomeStatus
{
    /// <summary>Recorded, and the customer's engagement updated.</summary>
    Applied,

    /// <summary>This outcome was already recorded for the decision; nothing changed.</summary>
    Duplicate,

    /// <summary>No such decision among those the customer keeps (unknown, or older than the outcome window or the inbound count).</summary>
    UnknownDecision,

    /// <summary>The decision did not offer this offer.</summary>
    WrongOffer,
}
