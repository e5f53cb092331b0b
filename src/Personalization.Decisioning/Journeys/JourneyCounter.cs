namespace Personalization.Decisioning.Journeys;

/// <summary>What a <see cref="JourneyCount"/> counts.</summary>
public enum JourneyCounter
{
    /// <summary>A customer entered the journey (step: the first; label: the group, "treated" or "holdout").</summary>
    Entered = 0,

    /// <summary>An enrollment reached the step.</summary>
    Reached = 1,

    /// <summary>An enrollment left the step (reached minus left is how many are at it now).</summary>
    Left = 2,

    /// <summary>A send step queued a delivery (label: the channel).</summary>
    Sent = 3,

    /// <summary>A send step sent nothing (label: the suppression reason).</summary>
    Suppressed = 4,

    /// <summary>An enrollment ended at the step (label: the <see cref="JourneyEnd"/>).</summary>
    Ended = 5,

    /// <summary>The goal event came within the window after entry (label: the group; once per enrollment).</summary>
    Converted = 6,

    /// <summary>A treated enrollment took a split path for the first time (label: the path name, the arm).</summary>
    Assigned = 7,

    /// <summary>A treated enrollment with an arm converted (label: the arm).</summary>
    ArmConverted = 8,

    /// <summary>
    /// A delivery the step queued for later was dropped when it came due (label: the drop reason). Numbered
    /// apart from the others so parallel additions to this enum do not collide.
    /// </summary>
    Dropped = 45,

    /// <summary>
    /// An entry admitted a customer who was not entered (step: the first; label: the <see cref="JourneyNotEntered"/>
    /// reason). Numbered apart like <see cref="Dropped"/>.
    /// </summary>
    NotEntered = 46,

    /// <summary>
    /// The goal event's purchase amount of a conversion, in cents (label: the group; the count's amount is the
    /// cents, see <see cref="JourneyRevenue"/>). Numbered apart like <see cref="Dropped"/>.
    /// </summary>
    GoalRevenue = 60,

    /// <summary>The square of a conversion's amount in whole currency units², rounded (label: the group), for the variance.</summary>
    GoalRevenueSquares = 61,

    /// <summary>A treated conversion's amount in cents, by arm (label: the arm).</summary>
    ArmRevenue = 62,

    /// <summary>The square of a treated conversion's amount in whole currency units², rounded, by arm (label: the arm).</summary>
    ArmRevenueSquares = 63,
}
