namespace Personalization.Decisioning.Learning;

/// <summary>
/// Off-policy evaluation of a deterministic candidate policy — rank each logged slate's candidates by
/// the candidate model's acceptance × the logged multiplier and take the first — on decisions logged
/// with known propensities. Two estimators of its acceptance rate:
/// <list type="bullet">
/// <item>Inverse propensity scoring (Horvitz and Thompson 1952): V̂ = mean of 1[π(x) = a]·r / p.
/// Unbiased when the propensities are right; high variance when p is small.</item>
/// <item>Doubly robust (Dudík, Langford and Li 2011, "Doubly Robust Policy Evaluation and Learning",
/// ICML): V̂ = mean of r̂(x, π(x)) + 1[π(x) = a]·(r − r̂(x, a)) / p, with r̂ the candidate model's own
/// acceptance score. Unbiased if either the propensities or r̂ are right, and lower variance.</item>
/// </list>
/// Each interval is the normal one, mean ± 1.96 · s / √n over the per-slate terms (the terms are
/// independent across slates). Pure.
/// </summary>
public static class OfflinePolicyEvaluation
{
    private const double Z95 = 1.959964;

    /// <summary>The estimates over <paramref name="examples"/>; slates with no candidates or no propensity are left out.</summary>
    public static OfflineEstimate Evaluate(IReadOnlyList<OfflineExample> examples)
    {
        var usable = examples.Where(e => e.Scores.Count > 0 && e.Logged >= 0 && e.Propensity > 0).ToList();
        var n = usable.Count;
        var logged = new double[n];
        var ips = new double[n];
        var dr = new double[n];
        long matched = 0;
        double weights = 0, squaredWeights = 0;
        for (var i = 0; i < n; i++)
        {
            var e = usable[i];
            var target = Target(e);
            var weight = target == e.Logged ? 1 / e.Propensity : 0;
            matched += target == e.Logged ? 1 : 0;
            weights += weight;
            squaredWeights += weight * weight;
            logged[i] = e.Reward;
            ips[i] = weight * e.Reward;
            dr[i] = e.Scores[target] + (weight * (e.Reward - e.Scores[e.Logged]));
        }

        var (l, ll, lh) = Interval(logged);
        var (v, vl, vh) = Interval(ips);
        var (d, dl, dh) = Interval(dr);
        return new OfflineEstimate(n, matched, squaredWeights > 0 ? weights * weights / squaredWeights : 0, l, ll, lh, v, vl, vh, d, dl, dh);
    }

    /// <summary>The candidate policy's choice: the highest score × multiplier, the earliest (the logged greedy order) on ties.</summary>
    public static int Target(OfflineExample example)
    {
        var best = 0;
        for (var j = 1; j < example.Scores.Count; j++)
        {
            if (example.Scores[j] * example.Multipliers[j] > example.Scores[best] * example.Multipliers[best])
            {
                best = j;
            }
        }

        return best;
    }

    /// <summary>A proportion and its normal 95% interval, clipped to 0..1 (0..1 with no trials).</summary>
    public static (double Rate, double Low, double High) ProportionInterval(long successes, long trials)
    {
        if (trials <= 0)
        {
            return (0, 0, 1);
        }

        var rate = (double)successes / trials;
        var half = Z95 * Math.Sqrt(rate * (1 - rate) / trials);
        return (rate, Math.Max(0, rate - half), Math.Min(1, rate + half));
    }

    /// <summary>The mean and its normal 95% interval; an unbounded interval below two terms.</summary>
    public static (double Mean, double Low, double High) Interval(IReadOnlyList<double> terms)
    {
        if (terms.Count == 0)
        {
            return (0, double.NegativeInfinity, double.PositiveInfinity);
        }

        var mean = terms.Average();
        if (terms.Count < 2)
        {
            return (mean, double.NegativeInfinity, double.PositiveInfinity);
        }

        var variance = terms.Sum(t => (t - mean) * (t - mean)) / (terms.Count - 1);
        var half = Z95 * Math.Sqrt(variance / terms.Count);
        return (mean, mean - half, mean + half);
    }
}
