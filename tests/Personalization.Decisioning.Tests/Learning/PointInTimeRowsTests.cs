using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Features;
using Personalization.Decisioning.Learning;
using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Tests.Learning;

public sealed class PointInTimeRowsTests
{
    private static readonly DateTime Now = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    private static readonly Dictionary<string, Offer> Offers = new()
    {
        ["o1"] = new Offer { OfferId = "o1", Name = "o1", Reward = 5 },
        ["o2"] = new Offer { OfferId = "o2", Name = "o2", Reward = 7 },
    };

    [Fact]
    public void RowsCarryTheLoggedFeaturesTheOffersAttributesAndTheOutcomeWithinTheWindow()
    {
        var content = new DecisionLogContent(
            [DecisionLogCodecTests.Decision("c1", "d1", Now, ("purchases", "3")), DecisionLogCodecTests.Decision("c2", "d2", Now, ("purchases", "0"))],
            [new LoggedOutcome("c1", "d1", "o2", Outcome.Clicked, 0, Now.AddHours(2)), new LoggedOutcome("c2", "d2", "o2", Outcome.Converted, 9, Now.AddDays(9))]);
        FeatureSpec[] features = [new("purchases", FeatureType.Float), new("offer_reward", FeatureType.Float)];

        var rows = PointInTimeRows.Offers(content, features, Offers, null, TimeSpan.FromDays(7)).ToList();

        var header = PointInTimeRows.OfferHeader(features).ToList();
        Assert.Equal(header.Count, rows[0].Count);
        Assert.Equal(["c1", "d1", "o2", "web", "home", "0.75", "3", "7", "clicked", "1"], [rows[0][0], rows[0][1], rows[0][2], rows[0][header.IndexOf("channel")], rows[0][header.IndexOf("placement")], rows[0][header.IndexOf("propensity")], rows[0][header.IndexOf("purchases")], rows[0][header.IndexOf("offer_reward")], rows[0][^2], rows[0][^1]]);
        // Converted nine days later: outside the 7-day window, so not a label.
        Assert.Equal(("0", "", "0"), (rows[1][header.IndexOf("purchases")], rows[1][^2], rows[1][^1]));
    }

    [Fact]
    public void AFeatureNoDecisionLoggedIsNamed()
    {
        FeatureSpec[] features = [new("purchases", FeatureType.Float), new("tenure", FeatureType.Float), new("offer_reward", FeatureType.Float)];

        Assert.Equal(["tenure"], PointInTimeRows.Unlogged(features, [DecisionLogCodecTests.Decision("c1", "d1", Now, ("purchases", "3"))]));
    }

    [Fact]
    public void CaptureReadsTheStateAtTheDecisionAndChoosesTheModelsCustomerFeaturesAndTheConfiguredOnes()
    {
        var state = new CustomerState();
        state.Behaviour.Purchases = 4;
        var result = new DecisionResult("champion", [], [], [new DecisionSlate("home", [new SlateCandidate("o1", 0.5, 10)], "o1", 1)]);
        var features = DecisionCapture.Features([new("purchases", FeatureType.Float), new("offer_reward", FeatureType.Float)], DecisionCapture.Parse(["plan:string", "purchases"]));

        var logged = DecisionCapture.Of("c1", "d1", state, result, features, "offer-1", null, 0.2, Now, null)!;
        state.Behaviour.Purchases = 9;

        Assert.Equal(["purchases", "plan"], logged.FeatureNames);
        Assert.Equal(["4", ""], logged.FeatureValues);
        Assert.Null(DecisionCapture.Of("c1", "d2", state, new DecisionResult("holdout", [], []), features, null, null, 0.2, Now, null));
    }
}
