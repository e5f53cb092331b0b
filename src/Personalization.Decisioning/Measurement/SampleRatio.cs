using MathNet.Numerics.Distributions;

namespace Personalization.Decisioning.Measurement;

/// <summary>
/// The sample-ratio-mismatch check: Pearson's chi-square goodness of fit of the arms' observed sizes
/// against the configured weights (k − 1 degrees of freedom). A p-value under
/// <see cref="Threshold"/> means the assignment or the counting is broken and no result should be
/// trusted (Fabijan et al. 2019, "Diagnosing Sample Ratio Mismatch in Online Controlled Experiments", KDD).
/// </summary>
public static class SampleRatio
{
    /// <summary>Flag at p below this: strict, because the check runs at every look.</summary>
    public const double Threshold = 0.001;

    /// <summary>The p-value of the observed sizes under the weights (1 while fewer than two arms or no units).</summary>
    public static double PValue(IReadOnlyList<long> observed, IReadOnlyList<double> weights)
    {
        if (observed.Count != weights.Count)
        {
            throw new ArgumentException("one weight per arm.", nameof(weights));
        }

        var total = observed.Sum();
        var weightSum = weights.Sum();
        if (observed.Count < 2 || total == 0 || weightSum <= 0)
        {
            return 1;
        }

        var statistic = 0.0;
        for (var i = 0; i < observed.Count; i++)
        {
            var expected = total * weights[i] / weightSum;
            statistic += expected == 0 ? (observed[i] == 0 ? 0 : double.PositiveInfinity) : Math.Pow(observed[i] - expected, 2) / expected;
        }

        return double.IsPositiveInfinity(statistic) ? 0 : 1 - ChiSquared.CDF(observed.Count - 1, statistic);
    }

    /// <summary>Whether the sizes mismatch the weights (p &lt; <see cref="Threshold"/>).</summary>
    public static bool Mismatch(IReadOnlyList<long> observed, IReadOnlyList<double> weights) => PValue(observed, weights) < Threshold;
}
