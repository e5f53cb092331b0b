using Personalization.Decisioning.Learning;

namespace Personalization.Decisioning.Tests.Learning;

/// <summary>
/// Seeded simulations where the truth is known: customers with a context x, three offers whose true
/// acceptance depends on x, a logging policy that is greedy on an old model with an exploration
/// share (propensities known), and a candidate model whose value is computed exactly.
/// </summary>
public sealed class OfflinePolicyEvaluationTests
{
    private const double Exploration = 0.2;

    // True acceptance of offer a for context x in 0..1: offer 0 suits low x, offer 2 high x.
    private static double Truth(double x, int a) => a switch { 0 => 0.30 - (0.2 * x), 1 => 0.15, _ => 0.05 + (0.3 * x) };

    private static (List<OfflineExample> Examples, double TrueValue) Simulate(int seed, int slates, Func<double, int, double> candidate)
    {
        var random = new Random(seed);
        var examples = new List<OfflineExample>(slates);
        double truth = 0;
        for (var i = 0; i < slates; i++)
        {
            var x = random.NextDouble();
            // The old model always prefers offer 1; exploration picks uniformly.
            var logged = random.NextDouble() < Exploration ? random.Next(3) : 1;
            var propensity = (Exploration / 3) + (logged == 1 ? 1 - Exploration : 0);
            var reward = random.NextDouble() < Truth(x, logged) ? 1 : 0;
            double[] scores = [candidate(x, 0), candidate(x, 1), candidate(x, 2)];
            var example = new OfflineExample(scores, [1, 1, 1], logged, propensity, reward);
            examples.Add(example);
            truth += Truth(x, OfflinePolicyEvaluation.Target(example));
        }

        return (examples, truth / slates);
    }

    [Fact]
    public void BothIntervalsCoverTheTrueValueOfABetterPolicyAtTheirLevel()
    {
        // A candidate that knows the truth, with some noise in its scores: 200 seeded runs of 4,000 slates.
        int ipsCovered = 0, drCovered = 0, runs = 200;
        double ipsWidth = 0, drWidth = 0;
        for (var seed = 0; seed < runs; seed++)
        {
            var (examples, truth) = Simulate(seed, 4_000, (x, a) => Math.Clamp(Truth(x, a) + 0.02, 0, 1));
            var estimate = OfflinePolicyEvaluation.Evaluate(examples);
            ipsCovered += estimate.IpsLow <= truth && truth <= estimate.IpsHigh ? 1 : 0;
            drCovered += estimate.DoublyRobustLow <= truth && truth <= estimate.DoublyRobustHigh ? 1 : 0;
            ipsWidth += estimate.IpsHigh - estimate.IpsLow;
            drWidth += estimate.DoublyRobustHigh - estimate.DoublyRobustLow;
        }

        // 95% intervals: at least 90% of 200 runs (the binomial 2.5% tail is near 91%).
        Assert.True(ipsCovered >= 180, $"IPS covered the truth in {ipsCovered} of {runs} runs");
        Assert.True(drCovered >= 180, $"DR covered the truth in {drCovered} of {runs} runs");
        // A good reward model makes the doubly robust interval narrower.
        Assert.True(drWidth < ipsWidth, $"mean widths: DR {drWidth / runs:0.0000}, IPS {ipsWidth / runs:0.0000}");
    }

    [Fact]
    public void TheEstimateRanksABetterCandidateAboveTheLoggingPolicy()
    {
        var (examples, truth) = Simulate(7, 20_000, (x, a) => Truth(x, a));

        var estimate = OfflinePolicyEvaluation.Evaluate(examples);

        // The logging policy earns 0.8·0.15 + 0.2·(0.2 + 0.15 + 0.2)/3 ≈ 0.157; the ideal one ∫ max over offers = 0.2625.
        Assert.InRange(truth, 0.255, 0.27);
        Assert.True(estimate.DoublyRobustLow > estimate.LoggedHigh, $"DR [{estimate.DoublyRobustLow:0.000}, {estimate.DoublyRobustHigh:0.000}] vs logged [{estimate.LoggedLow:0.000}, {estimate.LoggedHigh:0.000}]");
        Assert.Equal(20_000, estimate.Examples);
        Assert.InRange(estimate.Matched, 1_000, 19_000);
    }

    [Fact]
    public void AnArmsAcceptanceIntervalIsTheNormalOneClippedToZeroAndOne()
    {
        var (rate, low, high) = OfflinePolicyEvaluation.ProportionInterval(30, 200);

        // 0.15 ± 1.96 · √(0.15 · 0.85 / 200)
        Assert.Equal(0.15, rate, 12);
        Assert.Equal(0.10051, low, 5);
        Assert.Equal(0.19949, high, 5);
        Assert.Equal((0.0, 0.0, 1.0), OfflinePolicyEvaluation.ProportionInterval(0, 0));
        // 1 of 3: 0.333 − 0.533 would be below zero.
        Assert.Equal(0.0, OfflinePolicyEvaluation.ProportionInterval(1, 3).Low);
    }

    [Fact]
    public void NoExamplesGiveAnUnboundedInterval()
    {
        var estimate = OfflinePolicyEvaluation.Evaluate([]);

        Assert.Equal((0L, double.NegativeInfinity, double.PositiveInfinity), (estimate.Examples, estimate.IpsLow, estimate.IpsHigh));
    }
}
