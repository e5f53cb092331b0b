namespace Personalization.Decisioning.Measurement;

/// <summary>
/// CUPED, controlled-experiment using pre-experiment data (Deng, Xu, Kohavi &amp; Walker 2013,
/// "Improving the sensitivity of online controlled experiments by utilizing pre-experiment data",
/// WSDM): each member's outcome y is replaced by y − θ(x − x̄) with x a covariate fixed before the
/// member was treated (here the member's purchases in the 30 days before the decision) and
/// θ = Cov(x, y) / Var(x) pooled over both arms. Randomisation makes x̄ the same in expectation in
/// both arms, so the difference stays unbiased while its variance shrinks by the share ρ² that x
/// explains. The interval is the same always-valid confidence sequence as the plain comparison
/// (<see cref="Difference.Of"/>) on the adjusted variances; θ estimated from the data is consistent,
/// which the asymptotic sequence allows (Waudby-Smith et al. 2024, section on regression adjustment).
/// Computed from the arms' sums alone (<see cref="ArmCounts"/>), so no member is re-read.
/// </summary>
public static class Cuped
{
    /// <summary>Conversion rate of <paramref name="treatment"/> minus <paramref name="control"/>, adjusted.</summary>
    public static CupedResult OfConversion(ArmCounts treatment, ArmCounts control, double tuningSize = ConfidenceSequence.DefaultTuningSize) =>
        Of(
            treatment, control,
            arm => arm.ConversionRate,
            arm => arm.ConversionVariance,
            arm => arm.CovariateConverted,
            Difference.OfConversion(treatment, control, tuningSize),
            tuningSize);

    /// <summary>Revenue per recipient of <paramref name="treatment"/> minus <paramref name="control"/>, adjusted.</summary>
    public static CupedResult OfRevenue(ArmCounts treatment, ArmCounts control, double tuningSize = ConfidenceSequence.DefaultTuningSize) =>
        Of(
            treatment, control,
            arm => arm.RevenuePerRecipient,
            arm => arm.RevenueVariance,
            arm => arm.CovariateRevenue,
            Difference.OfRevenue(treatment, control, tuningSize),
            tuningSize);

    private static CupedResult Of(
        ArmCounts treatment,
        ArmCounts control,
        Func<ArmCounts, double> mean,
        Func<ArmCounts, double> variance,
        Func<ArmCounts, double> crossSum,
        Difference plain,
        double tuningSize)
    {
        var n = (double)(treatment.Exposed + control.Exposed);
        if (treatment.Exposed < 2 || control.Exposed < 2)
        {
            return new CupedResult(plain, plain, 0, 0);
        }

        // Pooled θ: both arms together, so it cannot lean towards either.
        var xMean = (treatment.CovariateSum + control.CovariateSum) / n;
        var yMean = ((mean(treatment) * treatment.Exposed) + (mean(control) * control.Exposed)) / n;
        var xVariance = ((treatment.CovariateSquares + control.CovariateSquares) / n) - (xMean * xMean);
        var covariance = ((crossSum(treatment) + crossSum(control)) / n) - (xMean * yMean);
        var theta = xVariance > 1e-12 ? covariance / xVariance : 0;

        (double Mean, double Variance) Adjust(ArmCounts arm)
        {
            var size = (double)arm.Exposed;
            var armX = arm.CovariateSum / size;
            var armXVariance = Math.Max(0, (arm.CovariateSquares / size) - (armX * armX));
            var armCovariance = (crossSum(arm) / size) - (armX * mean(arm));
            var adjusted = Math.Max(0, variance(arm) - (2 * theta * armCovariance) + (theta * theta * armXVariance));
            return (mean(arm) - (theta * (armX - xMean)), adjusted);
        }

        var (t, tVariance) = Adjust(treatment);
        var (c, cVariance) = Adjust(control);
        var adjustedDifference = Difference.Of(t, tVariance, treatment.Exposed, c, cVariance, control.Exposed, tuningSize);
        var before = (variance(treatment) / treatment.Exposed) + (variance(control) / control.Exposed);
        var after = (tVariance / treatment.Exposed) + (cVariance / control.Exposed);
        var reduction = before > 0 ? Math.Max(0, 1 - (after / before)) : 0;
        return new CupedResult(adjustedDifference with { Treatment = t, Control = c }, plain, theta, reduction);
    }
}
