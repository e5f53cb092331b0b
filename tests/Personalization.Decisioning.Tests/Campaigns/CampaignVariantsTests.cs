using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Measurement;
using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Tests.Campaigns;

public sealed class CampaignVariantsTests
{
    private static readonly DateTime Now = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    private static readonly DecisionPolicy Policy = new() { ExplorationShare = 0 };

    private static readonly Offer Email10 = new() { OfferId = "email-10", Name = "10% off", Type = OfferType.Discount, Value = 10, Channels = [Channel.Email, Channel.Sms] };

    private static readonly Offer Email20 = new() { OfferId = "email-20", Name = "20% off", Type = OfferType.Discount, Value = 20, Channels = [Channel.Email] };

    private static readonly CampaignDefinition Test = new()
    {
        CampaignId = "subject-test",
        Name = "Subject test",
        Segment = "vip",
        OfferIds = ["email-10", "email-20"],
        CreatedAt = Now,
        Variants =
        [
            new() { Name = "ten", Weight = 0.7, OfferIds = ["email-10"], Content = "Ten percent for you" },
            new() { Name = "twenty", Weight = 0.3, OfferIds = ["email-20"], Content = "Twenty percent, this week only" },
        ],
    };

    [Fact]
    public void AssignmentIsStableAndFollowsTheWeights()
    {
        var ids = Enumerable.Range(0, 20_000).Select(i => $"customer-{i:000000}").ToList();

        var counts = ids.GroupBy(id => CampaignVariants.Assign("subject-test", id, Test.Variants)).OrderBy(g => g.Key).Select(g => (long)g.Count()).ToList();

        Assert.Equal(2, counts.Count);
        Assert.False(SampleRatio.Mismatch(counts, [0.7, 0.3]));
        Assert.All(ids.Take(100), id => Assert.Equal(CampaignVariants.Assign("subject-test", id, Test.Variants), CampaignVariants.Assign("subject-test", id, Test.Variants)));
    }

    [Fact]
    public void AMemberGetsTheirVariantsOfferAndTheDeliveryNamesTheVariant()
    {
        var (id, variant) = Enumerable.Range(0, 100).Select(i => $"c-{i}").Select(i => (i, CampaignVariants.Assign("subject-test", i, Test.Variants))).First(x => x.Item2 == 1);
        var state = Member(consents: true);

        var decision = Decide(id, state, Test);

        var delivery = Assert.Single(decision.Deliveries);
        Assert.Equal(("email-20", "twenty", 2), (delivery.OfferId, delivery.Variant, decision.Variant));
        Assert.Equal(2, Assert.Single(state.Campaigns).Variant);
        Assert.Equal(1, variant);
    }

    [Fact]
    public void AMemberTheVariantCannotReachStillCountsInTheVariant()
    {
        var state = Member(consents: false);

        var decision = Decide("c-1", state, Test);

        Assert.Equal(CampaignSuppression.NoConsent, decision.Suppression);
        Assert.Equal(CampaignVariants.Assign("subject-test", "c-1", Test.Variants) + 1, decision.Variant);
    }

    [Fact]
    public void OnceAWinnerIsChosenEveryRemainingMemberGetsItMarkedAsNotRandomised()
    {
        var decisions = Enumerable.Range(0, 50).Select(i => Decide($"c-{i}", Member(consents: true), Test with { Winner = 1 })).ToList();

        Assert.All(decisions, d => Assert.Equal((2, true, "email-20"), (d.Variant, d.AfterWinner, d.Deliveries[0].OfferId)));
    }

    private static CampaignDecision Decide(string id, CustomerState state, CampaignDefinition campaign) =>
        CampaignDecisions.Decide(id, state, campaign, [new ScoredOffer(Email10, 0.3, 0, 0), new ScoredOffer(Email20, 0.3, 0, 0)], 0.2, Policy, "d-1", null, Now);

    private static CustomerState Member(bool consents) => CampaignMembers.Vip(consents, Now);
}
