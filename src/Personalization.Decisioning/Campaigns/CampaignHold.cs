using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Campaigns;

/// <summary>What a campaign with a test share does next, once its walk over the segment ended.</summary>
public enum HoldStep
{
    /// <summary>Nothing is held (or the release pass ended): the campaign completes.</summary>
    Complete = 0,

    /// <summary>Members are held and there is neither a winner nor a passed deadline: wait and judge again.</summary>
    Wait = 1,

    /// <summary>Walk the segment again, sending the held members <see cref="HoldPlan.Variant"/>.</summary>
    Release = 2,
}

/// <summary>The next step of a held campaign, the variant (0-based) a release sends, and whether the deadline (not a winner) chose it.</summary>
public sealed record HoldPlan(HoldStep Step, int Variant = -1, bool ByDeadline = false);

/// <summary>Where a campaign with a test share stands, as the campaign manager sees it.</summary>
public enum HoldPhase
{
    /// <summary>The campaign has no test share.</summary>
    None = 0,

    /// <summary>The first walk: the test share is sent its variants, the rest is held.</summary>
    Testing = 1,

    /// <summary>The test share was sent; the held members wait for the winner or the deadline.</summary>
    Waiting = 2,

    /// <summary>The second walk: the held members are sent the winner (or the default at the deadline).</summary>
    Releasing = 3,

    /// <summary>The held members were sent the winner or the default.</summary>
    Released = 4,

    /// <summary>Cancelled or ended before the release: the held members got nothing, and never will.</summary>
    NotReleased = 5,
}

/// <summary>
/// The automatic hold at a test share (pure). A campaign whose auto-winner has a test share sends its
/// variants only to a stable random share of the members (after the global control and the holdout
/// are drawn, as always) and holds the rest: a held member is not decided and keeps no mark. When the
/// auto-winner's verdict comes, a second walk over the segment sends the held members the winner: the
/// walk that decides every member exactly once, with the customer's campaign mark as the guard, so a
/// test member answers its earlier decision again and is not counted twice. If no winner is clear by
/// the deadline (<see cref="CampaignDefinition.DecideBy"/> after the start), the held members get
/// <see cref="DefaultVariant"/>, the first variant (the control by convention).
/// </summary>
public static class CampaignHold
{
    /// <summary>Smallest test share (below it the test rarely reaches the auto-winner's minimum exposure).</summary>
    public const double MinTestShare = 0.05;

    /// <summary>Largest test share (above it the hold saves too few members to be worth the wait).</summary>
    public const double MaxTestShare = 0.5;

    /// <summary>Longest wait for a winner.</summary>
    public static readonly TimeSpan MaxDecideBy = TimeSpan.FromDays(90);

    /// <summary>
    /// What the held members get when the deadline passes with no winner: the first variant. Not the best
    /// point estimate: with no interval excluding zero that estimate is mostly noise, while the first
    /// variant is the campaign's baseline (every comparison is against it), so the default is known in advance.
    /// </summary>
    public const int DefaultVariant = 0;

    /// <summary>Whether a member is in a campaign's test share: a stable hash of campaign and customer, independent of the holdout's and the variant's draws.</summary>
    public static bool InTestShare(string campaignId, string customerId, double share) =>
        EventIdHash.Unit($"campaign-test:{campaignId}:{customerId}") < share;

    /// <summary>
    /// Whether <paramref name="campaign"/> (as the fan-out sends it) holds this member now: it has a test
    /// share, no winner or release yet, and the member is outside the test share.
    /// </summary>
    public static bool Holds(CampaignDefinition campaign, string customerId) =>
        campaign.TestShare > 0 && campaign.Winner is null && !campaign.Releasing && !InTestShare(campaign.CampaignId, customerId, campaign.TestShare);

    /// <summary>When the held members get the default if no winner came: <paramref name="decideBy"/> after the start.</summary>
    public static DateTime Deadline(DateTime startedAt, TimeSpan decideBy) => startedAt + decideBy;

    /// <summary>
    /// The step after a walk over the segment ended: a release walk ends the campaign; a test walk that
    /// held nobody too; otherwise release the <paramref name="winner"/> when there is one, the
    /// <see cref="DefaultVariant"/> once <paramref name="now"/> reaches <paramref name="deadline"/>, else wait.
    /// </summary>
    public static HoldPlan Next(bool releasing, long held, int? winner, DateTime now, DateTime deadline) =>
        releasing || held == 0 ? new(HoldStep.Complete)
        : winner is { } chosen ? new(HoldStep.Release, chosen)
        : now >= deadline ? new(HoldStep.Release, DefaultVariant, ByDeadline: true)
        : new(HoldStep.Wait);

    /// <summary>
    /// The phase a campaign is in: <paramref name="releaseVariant"/> set means the release began;
    /// <paramref name="walkDone"/> that the current walk finished; <paramref name="over"/> that the campaign
    /// completed or was cancelled.
    /// </summary>
    public static HoldPhase Phase(double testShare, long held, int? releaseVariant, bool walkDone, bool over) =>
        testShare <= 0 ? HoldPhase.None
        : releaseVariant is not null ? (over && walkDone ? HoldPhase.Released : over ? HoldPhase.NotReleased : HoldPhase.Releasing)
        : over ? (held == 0 ? HoldPhase.Released : HoldPhase.NotReleased)
        : walkDone ? HoldPhase.Waiting
        : HoldPhase.Testing;
}
