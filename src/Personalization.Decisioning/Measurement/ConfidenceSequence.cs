namespace Personalization.Decisioning.Measurement;

/// <summary>
/// Always-valid 95% intervals: an asymptotic confidence sequence from the two-sided normal-mixture
/// boundary (Howard, Ramdas, McAuliffe &amp; Sekhon 2021, "Time-uniform, nonparametric, nonasymptotic
/// confidence sequences", Annals of Statistics, arXiv:1810.08240), in the asymptotic form of
/// Waudby-Smith, Arnold, Wu, Ramdas &amp; Howard 2024 ("Time-uniform central limit theory and
/// asymptotic confidence sequences", Annals of Statistics, arXiv:2103.06476). For a mean estimated from n units with standard deviation σ the
/// half-width is
/// <code>σ · √( 2(nρ² + 1) / (n²ρ²) · ln( √(nρ² + 1) / α ) )</code>
/// and the true value lies inside every interval at every n at once with probability ≥ 1 − α, so a
/// campaign manager may look as often as they like and stop whenever it excludes zero. ρ sets where
/// the sequence is tightest; <see cref="Rho"/> picks it for a planned sample size.
/// </summary>
public static class ConfidenceSequence
{
    /// <summary>The error rate of every interval reported: 95% intervals.</summary>
    public const double Alpha = 0.05;

    /// <summary>Units at which the sequence is tightest when nothing better is known.</summary>
    public const double DefaultTuningSize = 10_000;

    /// <summary>
    /// The mixing parameter that makes the boundary (nearly) tightest at <paramref name="tuningSize"/>
    /// units: ρ = √((−2 ln α + ln(−2 ln α + 1)) / n*), the choice of Waudby-Smith et al. 2024.
    /// </summary>
    public static double Rho(double tuningSize, double alpha = Alpha)
    {
        var l = -2 * Math.Log(alpha);
        return Math.Sqrt((l + Math.Log(l + 1)) / tuningSize);
    }

    /// <summary>Half-width of the interval for a mean of <paramref name="n"/> units with standard deviation <paramref name="sigma"/>.</summary>
    public static double HalfWidth(double n, double sigma, double rho, double alpha = Alpha)
    {
        if (n <= 0)
        {
            return double.PositiveInfinity;
        }

        var r2 = rho * rho;
        var spread = (n * r2) + 1;
        return sigma * Math.Sqrt(2 * spread / (n * n * r2) * Math.Log(Math.Sqrt(spread) / alpha));
    }
}
