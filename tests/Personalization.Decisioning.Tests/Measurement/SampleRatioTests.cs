using Personalization.Decisioning.Measurement;
using Xunit.Abstractions;

namespace Personalization.Decisioning.Tests.Measurement;

public sealed class SampleRatioTests(ITestOutputHelper output)
{
    private const int Runs = 2_000;

    [Fact]
    public void CorrectSplitsAreFlaggedAtAboutTheThresholdRate()
    {
        var random = new Random(3);

        var flagged = Enumerable.Range(0, Runs).Count(_ => SampleRatio.Mismatch(Split(random, 20_000, [0.5, 0.3, 0.2]), [0.5, 0.3, 0.2]));

        output.WriteLine($"correct 50/30/20 splits of 20,000, {Runs:N0} runs: {flagged} flagged ({(double)flagged / Runs:P2})");
        Assert.InRange(flagged, 0, 10); // 0.1% of 2,000 is 2
    }

    [Fact]
    public void ARealMismatchIsFlagged()
    {
        var random = new Random(4);

        var flagged = Enumerable.Range(0, Runs).Count(_ => SampleRatio.Mismatch(Split(random, 20_000, [0.48, 0.52]), [0.5, 0.5]));

        output.WriteLine($"48/52 drawn against 50/50 weights, 20,000 units, {Runs:N0} runs: {flagged} flagged ({(double)flagged / Runs:P2})");
        Assert.InRange(flagged, (int)(0.95 * Runs), Runs);
    }

    [Fact]
    public void ThePValueMatchesAHandComputedChiSquare()
    {
        // 5,100 vs 4,900 against 50/50: χ² = 2 × 100² / 5,000 = 4, one degree of freedom, p = 0.0455.
        var p = SampleRatio.PValue([5_100, 4_900], [0.5, 0.5]);

        Assert.Equal(0.0455, p, 4);
        Assert.False(SampleRatio.Mismatch([5_100, 4_900], [0.5, 0.5]));
        Assert.True(SampleRatio.Mismatch([5_300, 4_700], [0.5, 0.5]));
    }

    private static long[] Split(Random random, int units, double[] shares)
    {
        var counts = new long[shares.Length];
        for (var i = 0; i < units; i++)
        {
            var u = random.NextDouble();
            var arm = 0;
            while (arm < shares.Length - 1 && u >= shares[arm])
            {
                u -= shares[arm];
                arm++;
            }

            counts[arm]++;
        }

        return counts;
    }
}
