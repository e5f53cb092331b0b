using Personalization.Decisioning.Measurement;

namespace Personalization.Decisioning.Journeys;

/// <summary>
/// A journey's goal results from its running totals: conversion of the treated and of the holdout,
/// and of each split arm, with the always-valid 95% intervals of <see cref="Difference"/> (the same
/// helpers campaigns report with). Members are entries (a customer who re-enters counts again), each
/// converting at most once within the goal window.
/// </summary>
public sealed record JourneyOutcomes(
    ArmCounts TreatedCounts,
    ArmCounts HoldoutCounts,
    IReadOnlyList<(string Arm, ArmCounts Counts)> Arms)
{
    /// <summary>The group of entrants who are sent the journey's messages.</summary>
    public const string Treated = "treated";

    /// <summary>The group of entrants held out (sent nothing).</summary>
    public const string Holdout = "holdout";

    /// <summary>The results from totals by counter and label.</summary>
    public static JourneyOutcomes Of(IEnumerable<KeyValuePair<JourneyCount, long>> totals)
    {
        var list = totals.ToList();
        long Sum(JourneyCounter counter, string label) => list.Where(t => t.Key.Counter == counter && t.Key.Label == label).Sum(t => t.Value);
        ArmCounts Counts(JourneyCounter exposed, JourneyCounter converted, JourneyCounter revenue, JourneyCounter squares, string label) => new()
        {
            Exposed = Sum(exposed, label),
            Converted = Sum(converted, label),
            Revenue = Sum(revenue, label) / 100.0,
            RevenueSquares = Sum(squares, label),
        };
        ArmCounts Group(string label) => Counts(JourneyCounter.Entered, JourneyCounter.Converted, JourneyCounter.GoalRevenue, JourneyCounter.GoalRevenueSquares, label);

        var arms = list.Where(t => t.Key.Counter == JourneyCounter.Assigned)
            .Select(t => t.Key.Label)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(arm => (arm, Counts(JourneyCounter.Assigned, JourneyCounter.ArmConverted, JourneyCounter.ArmRevenue, JourneyCounter.ArmRevenueSquares, arm)))
            .ToList();
        return new(Group(Treated), Group(Holdout), arms);
    }

    /// <summary>Treated minus holdout conversion: the journey's lift.</summary>
    public Difference Lift() => Difference.OfConversion(TreatedCounts, HoldoutCounts);

    /// <summary>Treated minus holdout revenue per recipient (entry).</summary>
    public Difference RevenueLift() => Difference.OfRevenue(TreatedCounts, HoldoutCounts);

    /// <summary>Each arm after the first (by name) minus the first, on conversion.</summary>
    public IEnumerable<(string Arm, string Baseline, Difference Difference)> ArmsAgainstFirst() =>
        Arms.Skip(1).Select(a => (a.Arm, Arms[0].Arm, Difference.OfConversion(a.Counts, Arms[0].Counts)));

    /// <summary>Each arm after the first (by name) minus the first, on revenue per recipient.</summary>
    public IEnumerable<(string Arm, string Baseline, Difference Difference)> ArmRevenueAgainstFirst() =>
        Arms.Skip(1).Select(a => (a.Arm, Arms[0].Arm, Difference.OfRevenue(a.Counts, Arms[0].Counts)));

    /// <summary>
    /// The sample-ratio check of each split step of <paramref name="journey"/>: the treated entries each path was
    /// assigned at that step against the paths' weights (<see cref="SampleRatio.PValue"/>), in step order.
    /// </summary>
    public static IReadOnlyList<(string StepId, double P)> SplitRatios(JourneyDefinition journey, IEnumerable<KeyValuePair<JourneyCount, long>> totals)
    {
        var assigned = totals.Where(t => t.Key.Counter == JourneyCounter.Assigned).ToList();
        return [.. journey.Steps.Where(s => s.Kind == JourneyStepKind.Split).Select(step => (step.Id, SampleRatio.PValue(
            [.. step.Paths.Select(p => assigned.Where(t => t.Key.Step == step.Id && t.Key.Label == p.Name).Sum(t => t.Value))],
            [.. step.Paths.Select(p => p.Weight)])))];
    }

    /// <summary>
    /// The sample-ratio check of the holdout draw: treated and holdout entries against 1 − holdout share and the
    /// share (<see cref="SampleRatio.PValue"/>); null when the journey holds nobody out.
    /// </summary>
    public static double? HoldoutRatio(JourneyDefinition journey, IEnumerable<KeyValuePair<JourneyCount, long>> totals)
    {
        if (journey.HoldoutShare <= 0)
        {
            return null;
        }

        var entered = totals.Where(t => t.Key.Counter == JourneyCounter.Entered).ToList();
        long Sum(string group) => entered.Where(t => t.Key.Label == group).Sum(t => t.Value);
        return SampleRatio.PValue([Sum(Treated), Sum(Holdout)], [1 - journey.HoldoutShare, journey.HoldoutShare]);
    }
}
