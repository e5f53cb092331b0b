namespace Personalization.Decisioning.Measurement;

/// <summary>Stable weighted assignment: a uniform draw in [0, 1) cut by cumulative weights (campaign variants, journey split paths).</summary>
public static class WeightedDraw
{
    /// <summary>The index (0-based) that <paramref name="unit"/> falls on when [0, 1) is cut in proportion to <paramref name="weights"/>.</summary>
    public static int Pick(double unit, IReadOnlyList<double> weights)
    {
        var u = unit * weights.Sum();
        for (var i = 0; i < weights.Count - 1; i++)
        {
            u -= weights[i];
            if (u < 0)
            {
                return i;
            }
        }

        return weights.Count - 1;
    }
}
