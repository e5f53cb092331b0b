namespace Personalization.Decisioning.Journeys;

/// <summary>
/// How a goal conversion's revenue goes into a journey's running totals, which are whole numbers: the amount
/// in cents (exact to the cent) and its square in whole currency units² (rounded; cents² would overflow a long
/// after about 92 000 conversions of 100 000 each). One conversion's amount is capped at <see cref="MaxAmount"/>,
/// so the squares reach a long's limit only after more than 9 million conversions at the cap.
/// </summary>
public static class JourneyRevenue
{
    /// <summary>The largest amount one conversion adds (larger purchases count as this much).</summary>
    public const double MaxAmount = 1_000_000;

    /// <summary>The amount in cents, capped, never negative.</summary>
    public static long Cents(double amount) =>
        double.IsFinite(amount) && amount > 0 ? (long)Math.Round(Math.Min(amount, MaxAmount) * 100) : 0;

    /// <summary>The square of the capped amount in whole currency units², rounded.</summary>
    public static long Squares(double amount)
    {
        var capped = Cents(amount) / 100.0;
        return (long)Math.Round(capped * capped);
    }

    /// <summary>
    /// The sums one conversion of <paramref name="amount"/> adds at <paramref name="step"/>: revenue and its square
    /// for the group, and for the arm when it has one (treated only). Nothing for a conversion without an amount.
    /// </summary>
    public static IEnumerable<KeyValuePair<JourneyCount, long>> Of(string journeyId, string step, string group, string? arm, double amount)
    {
        var cents = Cents(amount);
        if (cents == 0)
        {
            yield break;
        }

        var squares = Squares(amount);
        yield return KeyValuePair.Create(new JourneyCount(journeyId, step, JourneyCounter.GoalRevenue, group), cents);
        yield return KeyValuePair.Create(new JourneyCount(journeyId, step, JourneyCounter.GoalRevenueSquares, group), squares);
        if (arm is not null)
        {
            yield return KeyValuePair.Create(new JourneyCount(journeyId, step, JourneyCounter.ArmRevenue, arm), cents);
            yield return KeyValuePair.Create(new JourneyCount(journeyId, step, JourneyCounter.ArmRevenueSquares, arm), squares);
        }
    }
}
