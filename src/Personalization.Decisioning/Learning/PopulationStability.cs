using System.Globalization;

namespace Personalization.Decisioning.Learning;

/// <summary>
/// The population stability index of one feature: PSI = Σ (aᵢ − eᵢ) · ln(aᵢ / eᵢ) over bins, where
/// eᵢ is the share of the reference rows (the model's hold-out) in bin i and aᵢ the share of live
/// decision-time values. Numbers are binned at the reference's deciles, text by category; missing
/// values are a bin of their own; shares are floored at 0.0001 so an empty bin does not divide by
/// zero. Reading (Yurdakul 2018, "Statistical properties of population stability index"; the credit
/// scoring convention): below 0.1 stable, 0.1–0.25 a moderate shift, above 0.25 a major one. Pure.
/// </summary>
public static class PopulationStability
{
    /// <summary>Bins of a numeric feature (the reference's deciles).</summary>
    public const int Bins = 10;

    private const double Floor = 1e-4;

    /// <summary>The PSI of <paramref name="live"/> against <paramref name="reference"/>, values written as <c>data export</c> writes them ("" is missing).</summary>
    public static double Of(IReadOnlyList<string> reference, IReadOnlyList<string> live, bool numeric)
    {
        if (reference.Count == 0 || live.Count == 0)
        {
            return 0;
        }

        if (!numeric)
        {
            var categories = reference.Concat(live).Distinct(StringComparer.Ordinal).ToList();
            return Index(Shares(reference, categories), Shares(live, categories));
        }

        var edges = Edges(reference);
        return Index(Binned(reference, edges), Binned(live, edges));
    }

    /// <summary>The reading of an index: "stable", "moderate shift" or "major shift".</summary>
    public static string Reading(double psi) => psi < 0.1 ? "stable" : psi <= 0.25 ? "moderate shift" : "major shift";

    private static double Index(double[] expected, double[] actual)
    {
        double psi = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var (e, a) = (Math.Max(expected[i], Floor), Math.Max(actual[i], Floor));
            psi += (a - e) * Math.Log(a / e);
        }

        return psi;
    }

    private static double[] Shares(IReadOnlyList<string> values, List<string> categories)
    {
        var shares = new double[categories.Count];
        foreach (var v in values)
        {
            shares[categories.IndexOf(v)] += 1.0 / values.Count;
        }

        return shares;
    }

    // The distinct decile edges of the reference's numbers.
    private static double[] Edges(IReadOnlyList<string> reference)
    {
        var numbers = reference.Select(Parse).Where(v => v is not null).Select(v => v!.Value).Order().ToArray();
        if (numbers.Length == 0)
        {
            return [];
        }

        return [.. Enumerable.Range(1, Bins - 1).Select(q => numbers[Math.Min(numbers.Length - 1, q * numbers.Length / Bins)]).Distinct()];
    }

    // Bin 0 is missing; then one bin per edge interval (x < edge[0], edge[0] <= x < edge[1], ...).
    private static double[] Binned(IReadOnlyList<string> values, double[] edges)
    {
        var shares = new double[edges.Length + 2];
        foreach (var text in values)
        {
            var bin = 0;
            if (Parse(text) is { } x)
            {
                var below = Array.FindIndex(edges, e => x < e);
                bin = below < 0 ? edges.Length + 1 : below + 1;
            }

            shares[bin] += 1.0 / values.Count;
        }

        return shares;
    }

    private static double? Parse(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v
        : text is "true" or "True" ? 1 : text is "false" or "False" ? 0 : null;
}
