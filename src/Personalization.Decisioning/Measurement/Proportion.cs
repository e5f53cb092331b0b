namespace Personalization.Decisioning.Measurement;

/// <summary>
/// A rate x / n with its 95% Wilson score interval (Wilson 1927, "Probable inference, the law of
/// succession, and statistical inference", JASA 22:209; Brown, Cai &amp; DasGupta 2001 recommend it
/// over the textbook Wald interval for small n and rates near 0 or 1). A fixed-sample interval: it
/// describes a period's rate; comparisons watched over time use <see cref="ConfidenceSequence"/>.
/// </summary>
public sealed record Proportion(double Count, double Size, double Rate, double Low, double High)
{
    private const double Z = 1.959963984540054;

    /// <summary>The rate of <paramref name="count"/> in <paramref name="size"/> (count capped at size); 0 in [0, 1] while size is 0.</summary>
    public static Proportion Of(double count, double size)
    {
        if (size <= 0)
        {
            return new(count, 0, 0, 0, 1);
        }

        var p = Math.Clamp(count / size, 0, 1);
        var z2 = Z * Z;
        var denominator = 1 + (z2 / size);
        var centre = (p + (z2 / (2 * size))) / denominator;
        var half = Z / denominator * Math.Sqrt((p * (1 - p) / size) + (z2 / (4 * size * size)));
        return new(count, size, p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
