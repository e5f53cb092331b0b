using Personalization.Decisioning.Measurement;
using Xunit.Abstractions;

namespace Personalization.Decisioning.Tests.Measurement;

/// <summary>
/// The always-valid interval under continuous monitoring, by simulation: 2,000 experiments each
/// looked at daily for 30 days (README: Measurement).
/// </summary>
public sealed class ConfidenceSequenceTests(ITestOutputHelper output)
{
    [Fact]
    public void UnderAaWithDailyPeekingTheSequenceDeclaresAWinnerInAtMostFivePercentOfRunsAndTheNaiveTestInOverAQuarter()
    {
        var simulation = new ExperimentSimulation(0.10, 0.10, seed: 1);
        int sequential = 0, naive = 0;

        for (var run = 0; run < ExperimentSimulation.Runs; run++)
        {
            bool sequentialFired = false, naiveFired = false;
            foreach (var (control, treatment) in simulation.Run())
            {
                var always = Difference.OfConversion(treatment, control, ExperimentSimulation.PlannedSize);
                sequentialFired |= always.Low > 0 || always.High < 0;
                var (low, high) = ExperimentSimulation.FixedInterval(treatment, control);
                naiveFired |= low > 0 || high < 0;
            }

            sequential += sequentialFired ? 1 : 0;
            naive += naiveFired ? 1 : 0;
        }

        var sequentialRate = (double)sequential / ExperimentSimulation.Runs;
        var naiveRate = (double)naive / ExperimentSimulation.Runs;
        output.WriteLine($"A/A, 2,000 runs x 30 daily looks: confidence sequence declared a winner in {sequentialRate:P2}, naive z-test in {naiveRate:P2}");
        Assert.InRange(sequentialRate, 0, 0.055);
        Assert.InRange(naiveRate, 0.25, 1);
    }

    [Fact]
    public void UnderARealEffectTheSequenceCoversTheTrueDifferenceAtEveryLookInNinetyFivePercentOfRuns()
    {
        var simulation = new ExperimentSimulation(0.10, 0.12, seed: 2);
        var covered = 0;

        for (var run = 0; run < ExperimentSimulation.Runs; run++)
        {
            covered += simulation.Run().All(look => Difference.OfConversion(look.Treatment, look.Control, ExperimentSimulation.PlannedSize) is var d && d.Low <= 0.02 && 0.02 <= d.High) ? 1 : 0;
        }

        var coverage = (double)covered / ExperimentSimulation.Runs;
        output.WriteLine($"A/B 10% vs 12%, 2,000 runs x 30 daily looks: the true difference inside the interval at every look in {coverage:P2}");
        Assert.InRange(coverage, 0.95, 1);
    }

    [Fact]
    public void TheIntervalNarrowsAsUnitsGrowAndIsTightestNearItsTuningSize()
    {
        var rho = ConfidenceSequence.Rho(10_000);

        var widths = new[] { 100, 1_000, 10_000, 100_000 }.Select(n => ConfidenceSequence.HalfWidth(n, 1, rho) * Math.Sqrt(n)).ToList();

        Assert.True(ConfidenceSequence.HalfWidth(1_000, 1, rho) > ConfidenceSequence.HalfWidth(10_000, 1, rho));
        Assert.Equal(widths.Min(), widths[2]); // in units of σ/√n, the least inflation is at the tuning size
        Assert.InRange(widths[2], 3.0, 3.1); // 3.04 against the fixed-n 1.96: the price of peeking freely
    }

    [Fact]
    public void ArmsWithNoConversionsYetStillHaveAnInterval()
    {
        var none = new ArmCounts { Exposed = 200 };

        var difference = Difference.OfConversion(none, new ArmCounts { Exposed = 200 });

        Assert.Equal(0, difference.Estimate);
        Assert.True(difference.Low < -0.01 && difference.High > 0.01);
    }

    [Fact]
    public void AnArmWithFewerThanTwoMembersHasAnUnboundedInterval()
    {
        var one = new ArmCounts { Exposed = 1, Converted = 1 };
        var many = new ArmCounts { Exposed = 500, Converted = 50 };

        var difference = Difference.OfConversion(one, many);

        Assert.Equal(double.NegativeInfinity, difference.Low);
        Assert.Equal(double.PositiveInfinity, difference.High);
        Assert.False(difference.Better);
    }
}
