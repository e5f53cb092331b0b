using Personalization.Decisioning.Recommendations;

namespace Personalization.Decisioning.Tests.Recommendations;

public sealed class RankingMetricsTests
{
    private static readonly HashSet<string> Relevant = ["b", "z"];

    [Fact]
    public void AHitIsAnyRelevantItemInTheFirstK()
    {
        Assert.Equal(1, RankingMetrics.Hit(["a", "b"], Relevant, 2));
        Assert.Equal(0, RankingMetrics.Hit(["a", "c", "b"], Relevant, 2));
    }

    [Fact]
    public void NdcgDiscountsByPositionAgainstTheIdealOrder()
    {
        // One hit at position 2 of 2 relevant: (1/log2 3) / (1 + 1/log2 3).
        var expected = (1 / Math.Log2(3)) / (1 + (1 / Math.Log2(3)));

        Assert.Equal(expected, RankingMetrics.Ndcg(["a", "b"], Relevant, 10), 12);
        Assert.Equal(1, RankingMetrics.Ndcg(["z", "b"], Relevant, 10), 12);
        Assert.Equal(0, RankingMetrics.Ndcg(["a"], new HashSet<string>(), 10));
    }
}
