using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Learning;

namespace Personalization.Decisioning.Tests.Learning;

public sealed class DecisionLogCodecTests
{
    private static readonly DateTime Now = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    internal static LoggedDecision Decision(string customer, string id, DateTime at, params (string Name, string Value)[] features) =>
        new(customer, id, at, "champion", "offer-1", "churn-1", 0.25f, [.. features.Select(f => f.Name)], [.. features.Select(f => f.Value)],
            [new DecisionSlate("home", [new SlateCandidate("o1", 0.25f, 10), new SlateCandidate("o2", 0.125f, 20)], "o2", 0.75f, Channel.Web)]);

    [Fact]
    public void DecisionsAndOutcomesComeBackAsTheyWereWritten()
    {
        var decision = Decision("c1", "d1", Now, ("purchases", "3"), ("plan", "gold"));
        var outcome = new LoggedOutcome("c1", "d1", "o2", Outcome.Clicked, 0, Now.AddMinutes(5));

        var content = DecisionLogCodec.Decode(DecisionLogCodec.Encode([decision, outcome]));

        var back = Assert.Single(content.Decisions);
        Assert.Equal((decision.CustomerId, decision.DecisionId, decision.DecidedAt, decision.Arm, decision.OfferModelVersion, decision.ChurnModelVersion, decision.Churn),
            (back.CustomerId, back.DecisionId, back.DecidedAt, back.Arm, back.OfferModelVersion, back.ChurnModelVersion, back.Churn));
        Assert.Equal(decision.FeatureNames, back.FeatureNames);
        Assert.Equal(decision.FeatureValues, back.FeatureValues);
        Assert.Equal(decision.Slates[0].Candidates, back.Slates[0].Candidates);
        Assert.Equal((decision.Slates[0].Placement, decision.Slates[0].Chosen, decision.Slates[0].Propensity, decision.Slates[0].Channel), (back.Slates[0].Placement, back.Slates[0].Chosen, back.Slates[0].Propensity, back.Slates[0].Channel));
        Assert.Equal(outcome, Assert.Single(content.Outcomes));
    }

    [Fact]
    public void FeatureNamesAreWrittenOncePerBatchAndBatchesConcatenate()
    {
        var features = Enumerable.Range(0, 10).Select(i => ($"feature_number_{i}", "12.5")).ToArray();
        var one = DecisionLogCodec.Encode([Decision("c1", "d1", Now, features)]);
        var hundred = DecisionLogCodec.Encode(Enumerable.Range(0, 100).Select(i => (object)Decision("c1", $"d{i}", Now, features)));

        var both = DecisionLogCodec.Decode(one.Concat(hundred).ToArray());

        Assert.Equal(101, both.Decisions.Count);
        // The names (10 × 17 bytes) cost once per batch, not per decision.
        Assert.True(hundred.Length < 100 * (one.Length - 150), $"{hundred.Length} bytes for 100 decisions, {one.Length} for one");
    }

    [Fact]
    public void ATornLastAppendIsIgnored()
    {
        var bytes = DecisionLogCodec.Encode([Decision("c1", "d1", Now), Decision("c2", "d2", Now)]);

        var content = DecisionLogCodec.Decode(bytes.AsMemory(0, bytes.Length - 3));

        Assert.Equal(["c1"], content.Decisions.Select(d => d.CustomerId));
    }

    [Fact]
    public void ErasureLeavesNoEntryOfTheCustomer()
    {
        var content = DecisionLogCodec.Decode(DecisionLogCodec.Encode([Decision("c1", "d1", Now), Decision("c2", "d2", Now), new LoggedOutcome("c1", "d1", "o2", Outcome.Clicked, 0, Now)]));

        var kept = DecisionLogCodec.Decode(DecisionLogCodec.Encode(DecisionLogCodec.Entries(DecisionLogCodec.Without(content, new HashSet<string> { "c1" }))));

        Assert.Equal(["c2"], kept.Decisions.Select(d => d.CustomerId));
        Assert.Empty(kept.Outcomes);
        Assert.False(DecisionLogCodec.Mentions(kept, new HashSet<string> { "c1" }));
    }
}
