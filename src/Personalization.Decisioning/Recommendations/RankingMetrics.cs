namespace Personalization.Decisioning.Recommendations;

/// <summary>
/// Top-K ranking metrics with binary relevance (Järvelin and Kekäläinen, "Cumulated gain-based
/// evaluation of IR techniques", ACM TOIS 20(4), 2002, for NDCG).
/// </summary>
public static class RankingMetrics
{
    /// <summary>1 when any of the first <paramref name="k"/> items is relevant, else 0.</summary>
    public static double Hit(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant, int k) =>
        ranked.Take(k).Any(relevant.Contains) ? 1 : 0;

    /// <summary>DCG of the first <paramref name="k"/> items over the best DCG possible with this many relevant items; 0 when none is relevant.</summary>
    public static double Ndcg(IReadOnlyList<string> ranked, IReadOnlySet<string> relevant, int k)
    {
        if (relevant.Count == 0)
        {
            return 0;
        }

        var dcg = ranked.Take(k).Select((id, i) => relevant.Contains(id) ? 1 / Math.Log2(i + 2) : 0).Sum();
        var ideal = Enumerable.Range(0, Math.Min(k, relevant.Count)).Sum(i => 1 / Math.Log2(i + 2));
        return dcg / ideal;
    }
}
