namespace Personalization.Decisioning.Measurement;

/// <summary>
/// Treatment minus control on one metric, with its always-valid 95% interval
/// (<see cref="ConfidenceSequence"/>) and both sample sizes.
/// </summary>
public sealed record Difference(
    double Treatment,
    double Control,
    long TreatmentSize,
    long ControlSize,
    double Estimate,
    double Low,
    double High)
{
    /// <summary>Relative lift (treatment − control) / control; 0 while the control is 0.</summary>
    public double Lift => Control == 0 ? 0 : Estimate / Control;

    /// <summary>The interval lies wholly above zero: the treatment is better, at the 5% level, however often it was looked at.</summary>
    public bool Better => Low > 0;

    /// <summary>The interval lies wholly below zero.</summary>
    public bool Worse => High < 0;

    /// <summary>
    /// The difference of two independent arms' means: variance s²_T/n_T + s²_C/n_C written as σ²/n
    /// with n = n_T + n_C, so the sequence runs on the units of both arms together.
    /// </summary>
    public static Difference Of(double treatment, double treatmentVariance, long treatmentSize, double control, double controlVariance, long controlSize, double tuningSize = ConfidenceSequence.DefaultTuningSize)
    {
        var estimate = treatment - control;
        if (treatmentSize < 2 || controlSize < 2)
        {
            return new(treatment, control, treatmentSize, controlSize, estimate, double.NegativeInfinity, double.PositiveInfinity);
        }

        var n = (double)(treatmentSize + controlSize);
        var variance = (treatmentVariance / treatmentSize) + (controlVariance / controlSize);
        var half = ConfidenceSequence.HalfWidth(n, Math.Sqrt(variance * n), ConfidenceSequence.Rho(tuningSize));
        return new(treatment, control, treatmentSize, controlSize, estimate, estimate - half, estimate + half);
    }

    /// <summary>Conversion rate of <paramref name="treatment"/> minus that of <paramref name="control"/>.</summary>
    public static Difference OfConversion(ArmCounts treatment, ArmCounts control, double tuningSize = ConfidenceSequence.DefaultTuningSize) =>
        Of(treatment.ConversionRate, treatment.ConversionVariance, treatment.Exposed, control.ConversionRate, control.ConversionVariance, control.Exposed, tuningSize);

    /// <summary>Revenue per recipient of <paramref name="treatment"/> minus that of <paramref name="control"/>.</summary>
    public static Difference OfRevenue(ArmCounts treatment, ArmCounts control, double tuningSize = ConfidenceSequence.DefaultTuningSize) =>
        Of(treatment.RevenuePerRecipient, treatment.RevenueVariance, treatment.Exposed, control.RevenuePerRecipient, control.RevenueVariance, control.Exposed, tuningSize);
}
