using Orleans;

namespace Personalization.Decisioning.Measurement;

/// <summary>
/// The sufficient statistics of one arm of a comparison (a variant, the treated group, the holdout):
/// members exposed, members converted, revenue and its sum of squares per member, so the conversion
/// rate, revenue per recipient and both variances come from five numbers whatever the arm's size.
/// </summary>
[GenerateSerializer]
public sealed class ArmCounts
{
    /// <summary>Members in the arm (the denominator of every rate).</summary>
    [Id(0)] public long Exposed { get; set; }

    /// <summary>Members of the arm who converted (each at most once).</summary>
    [Id(1)] public long Converted { get; set; }

    /// <summary>Revenue of the arm's members' attributed purchases.</summary>
    [Id(2)] public double Revenue { get; set; }

    /// <summary>Σ over members of (each member's attributed revenue)², for the variance of revenue per recipient.</summary>
    [Id(3)] public double RevenueSquares { get; set; }

    /// <summary>Members of the arm who got at least one delivery.</summary>
    [Id(4)] public long Delivered { get; set; }

    /// <summary>Σ over members of the pre-period covariate x (purchases in the 30 days before the decision), for CUPED (<see cref="Cuped"/>).</summary>
    [Id(5)] public double CovariateSum { get; set; }

    /// <summary>Σ x².</summary>
    [Id(6)] public double CovariateSquares { get; set; }

    /// <summary>Σ x · converted (0 or 1).</summary>
    [Id(7)] public double CovariateConverted { get; set; }

    /// <summary>Σ x · the member's attributed revenue.</summary>
    [Id(8)] public double CovariateRevenue { get; set; }

    /// <summary>Converted / exposed; 0 while empty.</summary>
    public double ConversionRate => Exposed == 0 ? 0 : (double)Converted / Exposed;

    /// <summary>Revenue / exposed; 0 while empty.</summary>
    public double RevenuePerRecipient => Exposed == 0 ? 0 : Revenue / Exposed;

    /// <summary>
    /// Variance of one member's conversion (0 or 1), from the rate smoothed by half a conversion
    /// ((converted + ½) / (exposed + 1)): an arm with no conversions yet (or all) is not reported
    /// as certain, which would shrink its interval to a point.
    /// </summary>
    public double ConversionVariance
    {
        get
        {
            var smoothed = (Converted + 0.5) / (Exposed + 1.0);
            return smoothed * (1 - smoothed);
        }
    }

    /// <summary>Variance of one member's revenue (population form).</summary>
    public double RevenueVariance => Exposed == 0 ? 0 : Math.Max(0, (RevenueSquares / Exposed) - (RevenuePerRecipient * RevenuePerRecipient));

    /// <summary>Adds another arm's members to this one (pooling arms of several campaigns).</summary>
    public void Add(ArmCounts other)
    {
        Exposed += other.Exposed;
        Converted += other.Converted;
        Revenue += other.Revenue;
        RevenueSquares += other.RevenueSquares;
        Delivered += other.Delivered;
        CovariateSum += other.CovariateSum;
        CovariateSquares += other.CovariateSquares;
        CovariateConverted += other.CovariateConverted;
        CovariateRevenue += other.CovariateRevenue;
    }

    /// <summary>Adds a member with pre-period covariate <paramref name="covariate"/>.</summary>
    public void AddMember(double covariate)
    {
        Exposed++;
        CovariateSum += covariate;
        CovariateSquares += covariate * covariate;
    }

    /// <summary>
    /// Adds a purchase of <paramref name="amount"/> by a member whose attributed revenue was
    /// <paramref name="before"/> and whose pre-period covariate is <paramref name="covariate"/>; the
    /// first one converts the member.
    /// </summary>
    public void AddPurchase(double before, double amount, bool first, double covariate = 0)
    {
        Converted += first ? 1 : 0;
        Revenue += amount;
        RevenueSquares += (2 * before * amount) + (amount * amount);
        CovariateConverted += first ? covariate : 0;
        CovariateRevenue += covariate * amount;
    }
}
