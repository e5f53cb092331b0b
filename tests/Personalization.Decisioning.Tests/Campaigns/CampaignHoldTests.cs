using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Tests.Campaigns;

/// <summary>The automatic hold at a test share: who is held, what a release sends and counts, when the deadline sends the default.</summary>
public sealed class CampaignHoldTests
{
    private static readonly DateTime Now = new(2026, 11, 16, 14, 0, 0, DateTimeKind.Utc);

    private static readonly DecisionPolicy Policy = new() { ExplorationShare = 0 };

    private static readonly Offer Plain = new() { OfferId = "plain", Name = "Plain", Type = OfferType.Discount, Value = 10, Channels = [Channel.Email] };

    private static readonly Offer Bold = Plain with { OfferId = "bold", Name = "Bold" };

    private static readonly CampaignDefinition Held = new()
    {
        CampaignId = "spring",
        Name = "Spring",
        Segment = "vip",
        OfferIds = ["plain", "bold"],
        CreatedAt = Now,
        HoldoutShare = 0.1,
        Variants = [new() { Name = "plain", Weight = 0.5, OfferIds = ["plain"] }, new() { Name = "bold", Weight = 0.5, OfferIds = ["bold"] }],
        AutoWinnerMinExposure = 100,
        TestShare = 0.2,
        DecideBy = TimeSpan.FromDays(2),
    };

    private static CampaignDecision Decide(string customer, CustomerState state, CampaignDefinition campaign) =>
        CampaignDecisions.Decide(customer, state, campaign, [new ScoredOffer(Plain, 0.3, 0, 0), new ScoredOffer(Bold, 0.3, 0, 0)], 0.2, Policy, $"d-{customer}", "offer-v1", Now);

    [Fact]
    public void TheTestShareIsAStableDrawOfAboutItsSizeIndependentOfTheHoldout()
    {
        var ids = Enumerable.Range(0, 20_000).Select(i => $"c-{i}").ToList();

        var tested = ids.Where(id => CampaignHold.InTestShare("spring", id, 0.2)).ToList();
        var heldOutAndTested = ids.Count(id => CampaignDecisions.InHoldout("spring", id, 0.1) && CampaignHold.InTestShare("spring", id, 0.2));

        Assert.InRange(tested.Count, 3_800, 4_200);
        Assert.Equal(tested, ids.Where(id => CampaignHold.InTestShare("spring", id, 0.2))); // the same on every call, silo and run
        Assert.InRange(heldOutAndTested, 320, 480); // about 0.1 x 0.2 x 20,000 = 400: the draws are independent
        Assert.NotEqual(tested, ids.Where(id => CampaignHold.InTestShare("autumn", id, 0.2)));
    }

    [Fact]
    public void AMemberOutsideTheTestShareIsHeldWithNoMarkAndTheReleaseSendsItTheWinnerOnce()
    {
        var held = Enumerable.Range(0, 200).Select(i => $"c-{i}").First(id => !CampaignHold.InTestShare("spring", id, 0.2) && !CampaignDecisions.InHoldout("spring", id, 0.1));
        var state = CampaignMembers.Vip(consents: true, Now);

        var first = Decide(held, state, Held);
        var again = Decide(held, state, Held);
        var released = Decide(held, state, Held with { Winner = 1, Releasing = true });
        var repeat = Decide(held, state, Held with { Winner = 1, Releasing = true });

        Assert.Equal((CampaignSuppression.Held, false), (first.Suppression, first.Repeat));
        Assert.Empty(first.Deliveries);
        Assert.Equal(CampaignSuppression.Held, again.Suppression); // still held: no mark was kept
        Assert.Equal((CampaignSuppression.None, false, true, true, 2), (released.Suppression, released.Repeat, released.Released, released.AfterWinner, released.Variant));
        Assert.Equal("bold", Assert.Single(released.Deliveries).OfferId);
        Assert.Equal((true, true), (repeat.Repeat, repeat.Released)); // exactly once: asked again, the same answer
        Assert.Equal(released.Deliveries, repeat.Deliveries);
        Assert.Single(state.Campaigns);
    }

    [Fact]
    public void TestMembersHoldoutGlobalControlAndNonMembersAreNeverHeld()
    {
        var ids = Enumerable.Range(0, 400).Select(i => $"c-{i}").ToList();
        var tester = ids.First(id => CampaignHold.InTestShare("spring", id, 0.2) && !CampaignDecisions.InHoldout("spring", id, 0.1));
        var holdout = ids.First(id => !CampaignHold.InTestShare("spring", id, 0.2) && CampaignDecisions.InHoldout("spring", id, 0.1));
        var outsider = ids.First(id => !CampaignHold.InTestShare("spring", id, 0.2) && !CampaignDecisions.InHoldout("spring", id, 0.1));
        var stranger = new CustomerState { EventCount = 1 };

        var tested = Decide(tester, CampaignMembers.Vip(true, Now), Held);
        var control = Decide(holdout, CampaignMembers.Vip(true, Now), Held);
        var notMember = Decide(outsider, stranger, Held);
        var globalControl = CampaignDecisions.Holds(outsider, CampaignMembers.Vip(true, Now), Held, Policy with { GlobalControlShare = 1 });
        var afterWinner = CampaignDecisions.Holds(outsider, CampaignMembers.Vip(true, Now), Held with { Winner = 0 }, Policy);
        var noTestShare = CampaignDecisions.Holds(outsider, CampaignMembers.Vip(true, Now), Held with { TestShare = 0 }, Policy);

        Assert.Equal((CampaignSuppression.None, false), (tested.Suppression, tested.Released));
        Assert.Equal(Variant(tester), tested.Variant);
        Assert.Equal(CampaignSuppression.Holdout, control.Suppression);
        Assert.Equal(CampaignSuppression.NotAMember, notMember.Suppression);
        Assert.False(globalControl);
        Assert.False(afterWinner); // a winner chosen mid-walk: later members get it directly
        Assert.False(noTestShare);

        static int Variant(string id) => CampaignVariants.Assign("spring", id, Held.Variants) + 1;
    }

    [Fact]
    public void AfterAWalkTheCampaignReleasesTheWinnerOrAtTheDeadlineTheFirstVariantOrWaits()
    {
        var deadline = CampaignHold.Deadline(Now, TimeSpan.FromHours(6));

        Assert.Equal(Now.AddHours(6), deadline);
        Assert.Equal(new HoldPlan(HoldStep.Wait), CampaignHold.Next(releasing: false, held: 80, winner: null, Now.AddHours(5), deadline));
        Assert.Equal(new HoldPlan(HoldStep.Release, 1), CampaignHold.Next(false, 80, winner: 1, Now.AddHours(5), deadline));
        Assert.Equal(new HoldPlan(HoldStep.Release, 1), CampaignHold.Next(false, 80, winner: 1, Now.AddHours(7), deadline)); // a winner beats the default
        Assert.Equal(new HoldPlan(HoldStep.Release, CampaignHold.DefaultVariant, ByDeadline: true), CampaignHold.Next(false, 80, null, deadline, deadline));
        Assert.Equal(0, CampaignHold.DefaultVariant);
        Assert.Equal(new HoldPlan(HoldStep.Complete), CampaignHold.Next(false, held: 0, null, Now, deadline)); // nobody held
        Assert.Equal(new HoldPlan(HoldStep.Complete), CampaignHold.Next(releasing: true, 80, 1, Now, deadline)); // the release walk ended
    }

    [Theory]
    [InlineData(0.0, 0L, null, false, false, HoldPhase.None)]
    [InlineData(0.2, 10L, null, false, false, HoldPhase.Testing)]
    [InlineData(0.2, 80L, null, true, false, HoldPhase.Waiting)]
    [InlineData(0.2, 80L, 1, false, false, HoldPhase.Releasing)]
    [InlineData(0.2, 80L, 1, true, true, HoldPhase.Released)]
    [InlineData(0.2, 80L, null, true, true, HoldPhase.NotReleased)]
    [InlineData(0.2, 80L, 1, false, true, HoldPhase.NotReleased)]
    public void ThePhaseFollowsTheWalksAndTheRelease(double share, long held, int? release, bool walkDone, bool over, HoldPhase phase) =>
        Assert.Equal(phase, CampaignHold.Phase(share, held, release, walkDone, over));

    [Fact]
    public void AHeldAnswerIsInNoArmAndAReleasedMemberCountsAfterTheWinner()
    {
        var measurement = new CampaignMeasurement();

        measurement.Count(new CampaignDecision("a", CampaignSuppression.None, [], Repeat: false, Variant: 1));
        measurement.Count(CampaignDecisions.HeldAnswer("b"));
        measurement.Count(new CampaignDecision("b", CampaignSuppression.None, [], Repeat: false, Variant: 2, AfterWinner: true, Released: true));

        Assert.Equal(2, measurement.Reached.Exposed);
        Assert.Equal(1, measurement.Arm(0).Exposed);
        Assert.Equal(0, measurement.Arm(1).Exposed); // the released member is not randomised: kept out of the variants
        Assert.Equal(1, measurement.AfterWinner.Exposed);
    }

    [Theory]
    [InlineData(0.01, 100L, 1.0, "campaign.auto_winner.test_share")]
    [InlineData(0.6, 100L, 1.0, "campaign.auto_winner.test_share")]
    [InlineData(double.NaN, 100L, 1.0, "campaign.auto_winner.test_share")]
    [InlineData(0.2, 0L, 1.0, "campaign.auto_winner.test_share")]
    [InlineData(0.2, 100L, null, "campaign.auto_winner.decide_by")]
    [InlineData(0.2, 100L, 0.0, "campaign.auto_winner.decide_by")]
    [InlineData(0.2, 100L, 100.0, "campaign.auto_winner.decide_by")]
    [InlineData(0.0, 100L, 1.0, "campaign.auto_winner.decide_by")]
    public void ABadHoldIsRefusedNamingTheField(double share, long minExposure, double? decideByDays, string field)
    {
        var campaign = Held with { TestShare = share, AutoWinnerMinExposure = minExposure, DecideBy = decideByDays is { } d ? TimeSpan.FromDays(d) : null };

        Assert.Contains(CampaignRules.Validate(campaign), e => e.Field == field);
        Assert.Empty(CampaignRules.Validate(Held));
    }
}
