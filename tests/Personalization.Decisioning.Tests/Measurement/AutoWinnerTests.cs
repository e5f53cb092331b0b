using Personalization.Decisioning.Measurement;
using Xunit.Abstractions;

namespace Personalization.Decisioning.Tests.Measurement;

public sealed class AutoWinnerTests(ITestOutputHelper output)
{
    [Fact]
    public void InDecidedRunsTheAutoWinnerPicksTheBetterArmAtLeastNinetyFivePercentOfTheTime()
    {
        var simulation = new ExperimentSimulation(0.10, 0.11, seed: 5);
        int decided = 0, right = 0;

        for (var run = 0; run < ExperimentSimulation.Runs; run++)
        {
            foreach (var (control, treatment) in simulation.Run())
            {
                if (AutoWinner.Judge([control, treatment], [0.5, 0.5], minExposure: 1_000, ExperimentSimulation.PlannedSize).Winner is { } winner)
                {
                    decided++;
                    right += winner == 1 ? 1 : 0;
                    break;
                }
            }
        }

        output.WriteLine($"A/B 10% vs 11%, 2,000 runs x 30 daily looks: a winner in {decided} runs, the better arm in {right} ({(double)right / decided:P2})");
        Assert.True(decided > 100);
        Assert.InRange((double)right / decided, 0.95, 1);
    }

    [Fact]
    public void NoWinnerBeforeTheMinimumExposureOrUnderASampleRatioMismatch()
    {
        ArmCounts Arm(long n, long converted) => new() { Exposed = n, Converted = converted };

        var clear = AutoWinner.Judge([Arm(5_000, 500), Arm(5_000, 800)], [0.5, 0.5], 1_000);
        var early = AutoWinner.Judge([Arm(5_000, 500), Arm(5_000, 800)], [0.5, 0.5], 10_000);
        var skewed = AutoWinner.Judge([Arm(4_000, 400), Arm(6_000, 960)], [0.5, 0.5], 1_000);
        var close = AutoWinner.Judge([Arm(5_000, 500), Arm(5_000, 510)], [0.5, 0.5], 1_000);

        Assert.Equal(1, clear.Winner);
        Assert.Null(early.Winner);
        Assert.Null(skewed.Winner);
        Assert.StartsWith("sample ratio mismatch", skewed.Reason);
        Assert.Null(close.Winner);
    }
}
