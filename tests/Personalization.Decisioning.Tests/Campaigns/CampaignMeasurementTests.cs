using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Offers;
using Xunit.Abstractions;

namespace Personalization.Decisioning.Tests.Campaigns;

/// <summary>
/// A campaign with no real effect, over members of whom only half can be emailed and those who can
/// buy more anyway: the lift as computed before issue 17 (every non-holdout member's purchase over
/// the delivered members) reports a large lift; intention to treat reports none.
/// </summary>
public sealed class CampaignMeasurementTests(ITestOutputHelper output)
{
    private static readonly DateTime Now = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    private static readonly DecisionPolicy Policy = new() { ExplorationShare = 0 };

    private static readonly Offer Email10 = new() { OfferId = "email-10", Name = "10% off", Type = OfferType.Discount, Value = 10, Channels = [Channel.Email] };

    private static readonly CampaignDefinition Spring = new() { CampaignId = "spring", Name = "Spring", Segment = "vip", OfferIds = ["email-10"], HoldoutShare = 0.5, CreatedAt = Now };

    [Fact]
    public void SuppressedMembersPurchasesNoLongerInflateTheLift()
    {
        var measurement = new CampaignMeasurement();
        var random = new Random(17);
        for (var i = 0; i < 6_000; i++)
        {
            // Consenting members buy at 30%, the others at 5%, whatever the campaign does.
            var consents = i % 2 == 0;
            var state = Member(consents);
            var decision = CampaignDecisions.Decide($"c-{i}", state, Spring, [new ScoredOffer(Email10, 0.3, 0, 0)], 0.2, Policy, $"d-{i}", null, Now);
            measurement.Count(decision);
            if (random.NextDouble() < (consents ? 0.30 : 0.05))
            {
                CampaignDecisions.AttributePurchase(state, Now.AddDays(2), 40).ForEach(measurement.Convert);
            }
        }

        // Before: treated conversions were every non-holdout member's, the treated base only the delivered ones.
        var before = (double)measurement.Reached.Converted / measurement.Delivered.Exposed;
        var holdout = measurement.Holdout.ConversionRate;
        var itt = measurement.IntentionToTreat();
        var delivered = measurement.DeliveredOnly();
        output.WriteLine($"holdout {holdout:P2} (n {measurement.Holdout.Exposed}); before: treated {before:P2}, lift {(before - holdout) / holdout:P1}; " +
            $"intention to treat {itt.Treatment:P2} (n {itt.TreatmentSize}), difference {itt.Estimate:+0.00%;-0.00%} [{itt.Low:+0.00%;-0.00%}, {itt.High:+0.00%;-0.00%}]; " +
            $"delivered only {delivered.Treatment:P2} (n {delivered.TreatmentSize})");

        Assert.True((before - holdout) / holdout > 0.5, "the old figure shows a lift of over 50% from nothing");
        Assert.True(itt.Low < 0 && itt.High > 0, "intention to treat finds no effect");
        Assert.InRange(itt.Lift, -0.1, 0.1);
        Assert.Equal(measurement.Reached.Exposed, measurement.Delivered.Exposed + measurement.Reached.Exposed - measurement.Reached.Delivered);
        Assert.True(delivered.Better, "the delivered-only view is biased by who can be delivered: why it is labelled, not the headline");
    }

    [Fact]
    public void RevenueIsCountedPerMemberWithItsSumOfSquares()
    {
        var measurement = new CampaignMeasurement();
        var state = Member(consents: true);
        var decision = CampaignDecisions.Decide("c-1", state, Spring with { HoldoutShare = 0 }, [new ScoredOffer(Email10, 0.3, 0, 0)], 0.2, Policy, "d-1", null, Now);
        measurement.Count(decision);

        CampaignDecisions.AttributePurchase(state, Now.AddDays(1), 30).ForEach(measurement.Convert);
        CampaignDecisions.AttributePurchase(state, Now.AddDays(2), 20).ForEach(measurement.Convert);

        Assert.Equal((1L, 1L, 1L, 50.0, 2_500.0), (measurement.Reached.Exposed, measurement.Reached.Converted, measurement.Delivered.Converted, measurement.Reached.Revenue, measurement.Reached.RevenueSquares));
    }

    private static CustomerState Member(bool consents) => CampaignMembers.Vip(consents, Now);
}
