using Personalization.Decisioning.Measurement;

namespace Personalization.Decisioning.Tests.Measurement;

/// <summary>
/// Simulated two-arm experiments looked at once a day: each day each arm gains
/// <see cref="PerArmPerDay"/> members who convert with the arm's true rate; a look sees the
/// cumulative counts so far, as a campaign manager watching the report would.
/// </summary>
internal sealed class ExperimentSimulation(double controlRate, double treatmentRate, int seed)
{
    public const int Runs = 2_000;

    public const int Days = 30;

    public const int PerArmPerDay = 200;

    /// <summary>Both arms together at the last look: where the sequence is tuned to be tightest.</summary>
    public const double PlannedSize = 2.0 * Days * PerArmPerDay;

    private readonly Random _random = new(seed);

    /// <summary>The counts of one run at each daily look.</summary>
    public IEnumerable<(ArmCounts Control, ArmCounts Treatment)> Run()
    {
        var control = new ArmCounts();
        var treatment = new ArmCounts();
        for (var day = 0; day < Days; day++)
        {
            Add(control, controlRate);
            Add(treatment, treatmentRate);
            yield return (control, treatment);
        }
    }

    /// <summary>The naive fixed-n 95% z-interval, valid for one look only.</summary>
    public static (double Low, double High) FixedInterval(ArmCounts treatment, ArmCounts control)
    {
        var estimate = treatment.ConversionRate - control.ConversionRate;
        static double Variance(ArmCounts arm) => arm.ConversionRate * (1 - arm.ConversionRate); // the textbook p(1 - p)
        var se = Math.Sqrt((Variance(treatment) / treatment.Exposed) + (Variance(control) / control.Exposed));
        return (estimate - (1.959964 * se), estimate + (1.959964 * se));
    }

    private void Add(ArmCounts arm, double rate)
    {
        for (var i = 0; i < PerArmPerDay; i++)
        {
            arm.Exposed++;
            if (_random.NextDouble() < rate)
            {
                arm.AddPurchase(0, 1, first: true);
            }
        }
    }
}
