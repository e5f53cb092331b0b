namespace Personalization.Decisioning.Journeys;

/// <summary>Why a customer an entry admitted was not entered (the label of <see cref="JourneyCounter.NotEntered"/>).</summary>
public enum JourneyNotEntered
{
    /// <summary>Active in another journey of the same exclusion group.</summary>
    Excluded = 0,

    /// <summary>The journey's total entry limit was reached.</summary>
    TotalLimit = 1,
}
