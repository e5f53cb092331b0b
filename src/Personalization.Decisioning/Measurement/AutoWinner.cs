namespace Personalization.Decisioning.Measurement;

/// <summary>
/// When an experiment may stop and send the rest of the audience its winner: every variant has at
/// least the minimum exposure, the sample-ratio check passes, and the best variant's conversion
/// rate beats every other's with an always-valid 95% interval that excludes zero. Because the
/// intervals are confidence sequences, checking after every fan-out round does not inflate the
/// error rate.
/// </summary>
public static class AutoWinner
{
    /// <summary>The verdict for <paramref name="variants"/> (randomised members only) under their configured <paramref name="weights"/>.</summary>
    public static WinnerVerdict Judge(IReadOnlyList<ArmCounts> variants, IReadOnlyList<double> weights, long minExposure, double tuningSize = ConfidenceSequence.DefaultTuningSize)
    {
        if (variants.Count < 2)
        {
            return new(null, 1, "no experiment: fewer than two variants.");
        }

        var p = SampleRatio.PValue([.. variants.Select(v => v.Exposed)], weights);
        if (p < SampleRatio.Threshold)
        {
            return new(null, p, $"sample ratio mismatch (p = {p:0.######}): assignment or counting is broken; no winner.");
        }

        if (variants.Any(v => v.Exposed < minExposure))
        {
            return new(null, p, $"waiting: every variant needs {minExposure} exposures.");
        }

        var best = Enumerable.Range(0, variants.Count).MaxBy(i => variants[i].ConversionRate);
        var beatsAll = Enumerable.Range(0, variants.Count)
            .Where(i => i != best)
            .All(i => Difference.OfConversion(variants[best], variants[i], tuningSize).Better);
        return beatsAll
            ? new(best, p, $"variant {best} converts better than every other (95% always-valid interval above zero).")
            : new(null, p, "no variant is better than every other yet.");
    }
}
