using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;

namespace Personalization.Decisioning.Tests.Decisions;

public sealed class RetentionWeightTests
{
    private static readonly DecisionPolicy Policy = new();

    private static KindScore[] Clv(double value) => [new KindScore("clv", new ScoreEntry(value, "clv-1", DateTime.UnixEpoch, 0))];

    [Theory]
    [InlineData(600, 1)]
    [InlineData(1200, 2)]
    [InlineData(300, 0.5)]
    [InlineData(1_000_000, 4)]
    [InlineData(0, 0.25)]
    [InlineData(-50, 0.25)]
    public void TheClvScaleIsTheScoreOverTheReferenceWithinItsBounds(double clv, double scale)
    {
        Assert.Equal(scale, RetentionWeight.ClvScale(Clv(clv), Policy), 9);
    }

    [Fact]
    public void WithoutAClvScoreOrWithTheScalingOffTheScaleIsOne()
    {
        Assert.Equal(1, RetentionWeight.ClvScale([new KindScore("purchase-propensity", new ScoreEntry(0.9, "p-1", DateTime.UnixEpoch, 0))], Policy));
        Assert.Equal(1, RetentionWeight.ClvScale(Clv(5000), new DecisionPolicy { ClvReference = 0 }));
        Assert.Equal(1, RetentionWeight.ClvScale(Clv(double.NaN), Policy));
    }

    [Fact]
    public void TheWeightIsTheChurnBoostTimesTheClvScale()
    {
        Assert.Equal(2 * (1 + (2 * 0.5)) * 3, RetentionWeight.Of(2, 0.5, 3, Policy), 9);
    }

    [Fact]
    public void ANegativeClvReferenceOrAScaleBelowOneIsRefused()
    {
        Assert.Contains(new DecisionPolicy { ClvReference = -1 }.Validate(new(new object())), r => r.ErrorMessage!.StartsWith("clv reference", StringComparison.Ordinal));
        Assert.Contains(new DecisionPolicy { MaxClvScale = 0.5 }.Validate(new(new object())), r => r.ErrorMessage!.StartsWith("clv reference", StringComparison.Ordinal));
    }
}
