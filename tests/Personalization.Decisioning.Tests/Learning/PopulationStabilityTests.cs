using System.Globalization;
using Personalization.Decisioning.Learning;

namespace Personalization.Decisioning.Tests.Learning;

public sealed class PopulationStabilityTests
{
    private static List<string> Normal(int seed, int count, double mean, double sd)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => (mean + (sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()))).ToString("R", CultureInfo.InvariantCulture))];
    }

    [Fact]
    public void TheSameDistributionIsStableAndAShiftedOneIsAMajorShift()
    {
        var reference = Normal(1, 5_000, 50, 10);

        var same = PopulationStability.Of(reference, Normal(2, 5_000, 50, 10), numeric: true);
        var shifted = PopulationStability.Of(reference, Normal(3, 5_000, 60, 10), numeric: true);

        Assert.InRange(same, 0, 0.02);
        Assert.Equal("stable", PopulationStability.Reading(same));
        Assert.True(shifted > 0.25, $"PSI {shifted}");
        Assert.Equal("major shift", PopulationStability.Reading(shifted));
    }

    [Fact]
    public void CategoriesAndMissingValuesAreBinsOfTheirOwn()
    {
        List<string> reference = [.. Enumerable.Repeat("gold", 50), .. Enumerable.Repeat("silver", 50)];
        List<string> live = [.. Enumerable.Repeat("gold", 90), .. Enumerable.Repeat("silver", 10)];

        // (0.9 − 0.5)·ln(0.9/0.5) + (0.1 − 0.5)·ln(0.1/0.5)
        Assert.Equal((0.4 * Math.Log(1.8)) + (0.4 * Math.Log(5)), PopulationStability.Of(reference, live, numeric: false), 9);
        Assert.True(PopulationStability.Of(["1", "2", "3", "4"], ["", "", "3", "4"], numeric: true) > 0.25);
    }
}
