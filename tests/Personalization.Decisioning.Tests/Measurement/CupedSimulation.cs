using Personalization.Decisioning.Measurement;

namespace Personalization.Decisioning.Tests.Measurement;

/// <summary>
/// Simulated two-arm experiments where each member brings a pre-period purchase count x (Poisson,
/// mean 1) and converts with probability base + slope · x (+ the true lift when treated): the
/// covariate explains part of the outcome when the slope is not 0, none when it is.
/// </summary>
internal sealed class CupedSimulation(double slope, double trueLift, int seed)
{
    public const int Runs = 1_000;

    public const int PerArm = 4_000;

    private const double Base = 0.04;

    private readonly Random _random = new(seed);

    /// <summary>The arms of one run.</summary>
    public (ArmCounts Control, ArmCounts Treatment) Run()
    {
        var control = new ArmCounts();
        var treatment = new ArmCounts();
        for (var i = 0; i < PerArm; i++)
        {
            Add(control, 0);
            Add(treatment, trueLift);
        }

        return (control, treatment);
    }

    private void Add(ArmCounts arm, double lift)
    {
        var x = Poisson(1.0);
        arm.AddMember(x);
        if (_random.NextDouble() < Math.Min(1, Base + (slope * x) + lift))
        {
            arm.AddPurchase(0, 1, first: true, covariate: x);
        }
    }

    // Knuth's method: fine for a mean of 1.
    private int Poisson(double mean)
    {
        var limit = Math.Exp(-mean);
        var (k, p) = (0, 1.0);
        do
        {
            k++;
            p *= _random.NextDouble();
        }
        while (p > limit);
        return k - 1;
    }
}
