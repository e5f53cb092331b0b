using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Rules;

namespace Personalization.Decisioning.Tests.Rules;

/// <summary>Rules read the cached scores of open model kinds by name (clv, purchase_propensity), before a trait of the same name.</summary>
public sealed class ModelScoreRuleTests
{
    private static readonly DateTime Now = new(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);

    private static CustomerState Scored(double clv, double propensity) => new()
    {
        KindScores =
        [
            new KindScore("clv", new ScoreEntry(clv, "clv-onnx-1", Now, 0)),
            new KindScore("purchase-propensity", new ScoreEntry(propensity, "purchase-propensity-onnx-1", Now, 0)),
        ],
    };

    [Theory]
    [InlineData(620, 0.7, true)]
    [InlineData(480, 0.7, false)]
    [InlineData(620, 0.3, false)]
    public void ARuleReadsTheClvAndPropensityScoresByName(double clv, double propensity, bool expected)
    {
        var rule = RuleLanguage.Compile("clv > 500 and purchase_propensity >= 0.5");

        Assert.Equal(expected, rule.Matches(Scored(clv, propensity), Now));
    }

    [Fact]
    public void WithoutAScoreTheNameIsATraitAndMissingComparesFalse()
    {
        var rule = RuleLanguage.Compile("clv > 500");

        Assert.False(rule.Matches(new CustomerState(), Now));
    }

    [Fact]
    public void AScoreWinsOverATraitOfTheSameName()
    {
        var state = Scored(900, 0.5);
        state.Traits["clv"] = new TraitEntry(TraitValue.Of(10L), Now);

        Assert.True(RuleLanguage.Compile("clv > 500").Matches(state, Now));
    }
}
