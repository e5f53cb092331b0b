namespace Personalization.Decisioning.Learning;

/// <summary>
/// The probability that the engine ranks each candidate first: with probability 1 − ε the greedy
/// order stands (its first candidate), with probability ε Thompson sampling draws one Beta(successes + 1,
/// failures + 1) value per candidate and the highest wins. P(candidate i wins the draw) =
/// ∫ f_i(x) Π_{j≠i} F_j(x) dx, integrated on a grid of <see cref="GridPoints"/> cells (each density
/// normalised on the grid, so a Beta narrower than a cell still counts as a whole). Known propensities
/// are what make the logged decisions usable for inverse-propensity estimates (Horvitz and Thompson
/// 1952; Dudík, Langford and Li 2011). Pure.
/// </summary>
public static class ThompsonPropensity
{
    /// <summary>Cells of the integration grid on 0..1.</summary>
    public const int GridPoints = 256;

    private const int MaxCached = 4096;

    // Densities by (successes, failures): offers' population results change slowly, so most decisions reuse them.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(double A, double B), double[]> CellCache = new();

    private static readonly double[] LogX = [.. Enumerable.Range(0, GridPoints).Select(c => Math.Log((c + 0.5) / GridPoints))];

    private static readonly double[] LogOneMinusX = [.. Enumerable.Range(0, GridPoints).Select(c => Math.Log(1 - ((c + 0.5) / GridPoints)))];

    /// <summary>
    /// The probability of each candidate (in the given order, the greedy first at <paramref name="greedy"/>)
    /// of being ranked first, given the exploration share and each candidate's population trials and successes.
    /// </summary>
    public static double[] Of(IReadOnlyList<(long Trials, long Successes)> candidates, int greedy, double explorationShare)
    {
        var k = candidates.Count;
        var result = new double[k];
        if (k == 0)
        {
            return result;
        }

        if (k == 1)
        {
            result[0] = 1;
            return result;
        }

        var draw = ThompsonWins(candidates);
        for (var i = 0; i < k; i++)
        {
            result[i] = (explorationShare * draw[i]) + (i == greedy ? 1 - explorationShare : 0);
        }

        return result;
    }

    /// <summary>The probability each candidate's Beta draw is the highest.</summary>
    public static double[] ThompsonWins(IReadOnlyList<(long Trials, long Successes)> candidates)
    {
        var k = candidates.Count;
        var density = new double[k][];
        for (var i = 0; i < k; i++)
        {
            var (trials, successes) = candidates[i];
            var a = Math.Max(0, successes) + 1.0;
            var b = Math.Max(0, trials - successes) + 1.0;
            density[i] = Cached(a, b);
        }

        // Identical posteriors win equally: no grid error where the answer is known.
        if (candidates.All(c => c == candidates[0]))
        {
            return [.. Enumerable.Repeat(1.0 / k, k)];
        }

        // Cumulative mass below each cell, and P(i wins) summed cell by cell (the others' mass inside the cell counts half: ties split evenly).
        var below = new double[k];
        var wins = new double[k];
        var factor = new double[k];
        var suffix = new double[k + 1];
        for (var cell = 0; cell < GridPoints; cell++)
        {
            // Each other candidate below this cell, plus half of its mass inside it (ties split evenly);
            // the product over the others is prefix × suffix, so a cell costs O(k), not O(k²).
            suffix[k] = 1;
            for (var j = k - 1; j >= 0; j--)
            {
                factor[j] = below[j] + (density[j][cell] / 2);
                suffix[j] = suffix[j + 1] * factor[j];
            }

            var prefix = 1.0;
            for (var i = 0; i < k; i++)
            {
                wins[i] += density[i][cell] * prefix * suffix[i + 1];
                prefix *= factor[i];
            }

            for (var i = 0; i < k; i++)
            {
                below[i] += density[i][cell];
            }
        }

        var total = wins.Sum();
        return [.. wins.Select(w => total > 0 ? w / total : 1.0 / k)];
    }

    private static double[] Cached(double a, double b)
    {
        if (CellCache.TryGetValue((a, b), out var cells))
        {
            return cells;
        }

        if (CellCache.Count >= MaxCached)
        {
            CellCache.Clear();
        }

        return CellCache[(a, b)] = Cells(a, b);
    }

    // A Beta(a, b) density's mass per grid cell (midpoints), normalised to sum to 1.
    private static double[] Cells(double a, double b)
    {
        var cells = new double[GridPoints];
        var logs = new double[GridPoints];
        var max = double.NegativeInfinity;
        for (var c = 0; c < GridPoints; c++)
        {
            logs[c] = ((a - 1) * LogX[c]) + ((b - 1) * LogOneMinusX[c]);
            max = Math.Max(max, logs[c]);
        }

        double sum = 0;
        for (var c = 0; c < GridPoints; c++)
        {
            cells[c] = Math.Exp(logs[c] - max);
            sum += cells[c];
        }

        for (var c = 0; c < GridPoints; c++)
        {
            cells[c] /= sum;
        }

        return cells;
    }
}
