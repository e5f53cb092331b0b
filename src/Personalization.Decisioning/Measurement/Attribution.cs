namespace Personalization.Decisioning.Measurement;

/// <summary>
/// Splits one conversion over the touches before it (pure). The path is the customer's touches in the
/// window before the conversion, oldest first; a purchase that redeemed an offer counts only the
/// touches that carried that offer when it had any. Each model gives shares summing to 1 (so two
/// campaigns on the path split one conversion instead of each claiming it whole), and the value is
/// split in cents by largest remainder, so the credited values sum to the conversion's value exactly.
/// Models as in Google Analytics' attribution models and Shao &amp; Li 2011 ("Data-driven multi-touch
/// attribution models", KDD) for the position-based 40/20/40 and time-decay forms.
/// </summary>
public static class Attribution
{
    /// <summary>Every model, in the order reports list them.</summary>
    public static readonly AttributionModel[] Models = Enum.GetValues<AttributionModel>();

    /// <summary>The touches that can take credit for a conversion at <paramref name="at"/>, oldest first.</summary>
    public static List<Touch> Path(IReadOnlyList<Touch>? touches, DateTime at, string? offerId, AttributionSettings settings)
    {
        if (touches is null || touches.Count == 0)
        {
            return [];
        }

        var window = settings.Window;
        var path = touches.Where(t => t.At <= at && at - t.At <= window).OrderBy(t => t.At).ToList();
        if (!string.IsNullOrEmpty(offerId) && path.Any(t => t.OfferId == offerId))
        {
            path.RemoveAll(t => t.OfferId != offerId);
        }

        return path;
    }

    /// <summary>The shares of each touch of <paramref name="path"/> (oldest first) under <paramref name="model"/>; they sum to 1 (empty path: none).</summary>
    public static double[] Shares(IReadOnlyList<Touch> path, DateTime at, AttributionModel model, AttributionSettings settings)
    {
        var n = path.Count;
        var shares = new double[n];
        if (n == 0)
        {
            return shares;
        }

        switch (model)
        {
            case AttributionModel.LastTouch:
                shares[n - 1] = 1;
                break;
            case AttributionModel.FirstTouch:
                shares[0] = 1;
                break;
            case AttributionModel.Linear:
                Array.Fill(shares, 1.0 / n);
                break;
            case AttributionModel.TimeDecay:
                var halfLife = settings.HalfLifeDays;
                for (var i = 0; i < n; i++)
                {
                    shares[i] = Math.Pow(2, -(at - path[i].At).TotalDays / halfLife);
                }

                var total = shares.Sum();
                for (var i = 0; i < n; i++)
                {
                    shares[i] /= total;
                }

                break;
            case AttributionModel.PositionBased:
                if (n == 1)
                {
                    shares[0] = 1;
                }
                else if (n == 2)
                {
                    shares[0] = shares[1] = 0.5;
                }
                else
                {
                    shares[0] = shares[n - 1] = 0.4;
                    for (var i = 1; i < n - 1; i++)
                    {
                        shares[i] = 0.2 / (n - 2);
                    }
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(model), model, "unknown attribution model");
        }

        return shares;
    }

    /// <summary>
    /// The credit of each touch on the path of a conversion worth <paramref name="value"/> at
    /// <paramref name="at"/> under <paramref name="model"/>: shares summing to 1, values in cents
    /// summing to the value (rounded to the cent) exactly. No touch in the window: no credit.
    /// </summary>
    public static List<TouchCredit> Credit(IReadOnlyList<Touch>? touches, DateTime at, double value, string? offerId, AttributionModel model, AttributionSettings settings)
    {
        var path = Path(touches, at, offerId, settings);
        var shares = Shares(path, at, model, settings);
        var cents = Split(Cents(value), shares);
        return [.. path.Select((t, i) => new TouchCredit(t, shares[i], cents[i]))];
    }

    /// <summary>A value in whole cents (negative, NaN and infinite values are 0).</summary>
    public static long Cents(double value) => double.IsFinite(value) && value > 0 ? (long)Math.Round(value * 100, MidpointRounding.AwayFromZero) : 0;

    /// <summary>Splits <paramref name="total"/> cents by <paramref name="shares"/> (summing to 1) with the largest-remainder method: the parts sum to the total exactly.</summary>
    public static long[] Split(long total, IReadOnlyList<double> shares)
    {
        var parts = new long[shares.Count];
        if (shares.Count == 0)
        {
            return parts;
        }

        var remainders = new double[shares.Count];
        long given = 0;
        for (var i = 0; i < shares.Count; i++)
        {
            var exact = total * shares[i];
            parts[i] = (long)Math.Floor(exact);
            remainders[i] = exact - parts[i];
            given += parts[i];
        }

        // The cents left (fewer than the touches) go to the largest remainders, later touches first on ties.
        foreach (var i in Enumerable.Range(0, shares.Count).OrderByDescending(i => remainders[i]).ThenByDescending(i => i))
        {
            if (given >= total)
            {
                break;
            }

            parts[i]++;
            given++;
        }

        // Rounding of the shares themselves can leave the floors a cent over: take it back from the largest part.
        while (given > total)
        {
            var largest = Array.IndexOf(parts, parts.Max());
            parts[largest]--;
            given--;
        }

        return parts;
    }
}
