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
        ArmCounts Group(string label) => new() { Exposed = Sum(JourneyCounter.Entered, label), Converted = Sum(JourneyCounter.Converted, label) };

        var arms = list.Where(t => t.Key.Counter == JourneyCounter.Assigned)
            .Select(t => t.Key.Label)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .Select(arm => (arm, new ArmCounts { Exposed = Sum(JourneyCounter.Assigned, arm), Converted = Sum(JourneyCounter.ArmConverted, arm) }))
            .ToList();
        return new(Group(Treated), Group(Holdout), arms);
    }

    /// <summary>Treated minus holdout conversion: the journey's lift.</summary>
    public Difference Lift() => Difference.OfConversion(TreatedCounts, HoldoutCounts);

    /// <summary>Each arm after the first (by name) minus the first.</summary>
    public IEnumerable<(string Arm, string Baseline, Difference Difference)> ArmsAgainstFirst() =>
        Arms.Skip(1).Select(a => (a.Arm, Arms[0].Arm, Difference.OfConversion(a.Counts, Arms[0].Counts)));
}
