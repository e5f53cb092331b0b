using Google.Protobuf.WellKnownTypes;
using Personalization.Contracts.Journeys;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Journeys;
using Personalization.Decisioning.Measurement;
using Personalization.V1;
using Personalization.V1.Conversions;
using DomainChannel = Personalization.Decisioning.Customers.Channel;
using DomainReEntry = Personalization.Decisioning.Journeys.ReEntryPolicy;
using JourneyStep = Personalization.V1.JourneyStep;
using ReEntryPolicy = Personalization.V1.ReEntryPolicy;

namespace Personalization.Server.Grpc;

/// <summary>Maps journeys between the public contract and the domain.</summary>
public static class JourneyMapping
{
    /// <summary>The domain definition of a journey (validation is separate).</summary>
    public static JourneyDefinition ToDomain(Journey journey) => new()
    {
        JourneyId = journey.JourneyId,
        Name = journey.Name,
        EntryEvent = (CustomerEventType)(int)(journey.Entry?.EventType ?? EventType.Unspecified),
        EntryRule = journey.Entry?.Rule ?? "",
        EntryKind = journey.Entry switch
        {
            { Segment.Length: > 0 } => JourneyEntryKind.SegmentJoin,
            { DateTrait.Length: > 0 } => JourneyEntryKind.YearlyDate,
            _ => JourneyEntryKind.Event,
        },
        EntrySegment = journey.Entry?.Segment ?? "",
        EntryDateTrait = journey.Entry?.DateTrait ?? "",
        EntryLocalTime = journey.Entry is { TimeOfDay.Length: > 0 } entry ? ClockTime(entry.TimeOfDay) : TimeSpan.FromHours(9),
        GoalEvent = (CustomerEventType)(int)(journey.Goal?.EventType ?? EventType.Unspecified),
        GoalWithin = Span(journey.Goal?.Within),
        HoldoutShare = journey.HoldoutShare,
        Steps = [.. journey.Steps.Select(ToDomain)],
        ExitEvents = [.. journey.Exit?.EventTypes.Select(t => (CustomerEventType)(int)t) ?? []],
        ExitRule = journey.Exit?.Rule ?? "",
        ReEntry = journey.ReEntry?.Policy switch
        {
            ReEntryPolicy.AfterExit => DomainReEntry.AfterExit,
            ReEntryPolicy.AfterPeriod => DomainReEntry.AfterPeriod,
            _ => DomainReEntry.Never,
        },
        ReEntryAfter = Span(journey.ReEntry?.After),
        MaxEntries = journey.ReEntry?.MaxEntries ?? 0,
        MaxTotalEntries = journey.ReEntry?.MaxTotalEntries ?? 0,
        ExclusionGroup = journey.ExclusionGroup,
        OfferIds = [.. journey.OfferIds],
        Channels = [.. journey.Channels.Select(c => (DomainChannel)(int)c)],
        Priority = journey.Priority,
    };

    /// <summary>The contract view of a journey, with its results when given.</summary>
    public static Journey ToContract(JourneyView view, IReadOnlyList<JourneyTotal>? totals = null)
    {
        var d = view.Definition;
        var journey = new Journey
        {
            JourneyId = d.JourneyId,
            Name = d.Name,
            Version = d.Version,
            State = (JourneyState)(int)view.Status,
            Entry = new JourneyEntry
            {
                EventType = (EventType)(int)d.EntryEvent,
                Rule = d.EntryRule,
                Segment = d.EntrySegment,
                DateTrait = d.EntryDateTrait,
                TimeOfDay = d.EntryKind == JourneyEntryKind.YearlyDate ? $"{d.EntryLocalTime:hh\\:mm}" : "",
            },
            Goal = d.GoalEvent == CustomerEventType.Unspecified ? null : new JourneyGoal { EventType = (EventType)(int)d.GoalEvent, Within = Duration.FromTimeSpan(d.GoalWithin) },
            HoldoutShare = d.HoldoutShare,
            Exit = new JourneyExit { Rule = d.ExitRule },
            ReEntry = new ReEntry
            {
                Policy = d.ReEntry switch
                {
                    DomainReEntry.AfterExit => ReEntryPolicy.AfterExit,
                    DomainReEntry.AfterPeriod => ReEntryPolicy.AfterPeriod,
                    _ => ReEntryPolicy.Never,
                },
                After = d.ReEntryAfter == TimeSpan.Zero ? null : Duration.FromTimeSpan(d.ReEntryAfter),
                MaxEntries = d.MaxEntries,
                MaxTotalEntries = d.MaxTotalEntries,
            },
            Priority = d.Priority,
            ExclusionGroup = d.ExclusionGroup,
            CreatedAt = d.CreatedAt.ToContractOrUnset(),
            UpdatedAt = view.UpdatedAt.ToContractOrUnset(),
            Stats = totals is null ? null : Stats(d, totals),
        };
        journey.Exit.EventTypes.AddRange(d.ExitEvents.Select(t => (EventType)(int)t));
        journey.Steps.AddRange(d.Steps.Select(ToContract));
        journey.OfferIds.AddRange(d.OfferIds);
        journey.Channels.AddRange(d.Channels.Select(c => (V1.Channel)(int)c));
        return journey;
    }

    /// <summary>A journey's results from its running totals: per step and by end reason.</summary>
    public static JourneyStats Stats(JourneyDefinition journey, IReadOnlyList<JourneyTotal> totals)
    {
        long Sum(JourneyCounter counter, string? step = null, string? label = null) =>
            totals.Where(t => t.Key.Counter == counter && (step is null || t.Key.Step == step) && (label is null || t.Key.Label == label)).Sum(t => t.Count);

        var stats = new JourneyStats
        {
            Entered = Sum(JourneyCounter.Entered),
            Active = Sum(JourneyCounter.Reached) - Sum(JourneyCounter.Left),
            Completed = Sum(JourneyCounter.Ended, label: nameof(JourneyEnd.Completed)),
        };
        stats.Ended.AddRange(Labels(totals.Where(t => t.Key.Counter == JourneyCounter.Ended)));
        stats.NotEntered.AddRange(Labels(totals.Where(t => t.Key.Counter == JourneyCounter.NotEntered)));
        if (journey.GoalEvent != CustomerEventType.Unspecified)
        {
            var pairs = totals.Select(t => KeyValuePair.Create(t.Key, t.Count)).ToList();
            stats.Goal = Goal(JourneyOutcomes.Of(pairs));
            stats.Goal.SampleRatios.AddRange(JourneyOutcomes.SplitRatios(journey, pairs).Select(r => Ratio(r.StepId, r.P)));
            if (JourneyOutcomes.HoldoutRatio(journey, pairs) is { } holdout)
            {
                stats.Goal.HoldoutSampleRatio = Ratio("", holdout);
            }
        }

        var steps = journey.Steps.Select(s => s.Id).Concat(totals.Select(t => t.Key.Step)).Where(s => s.Length > 0).Distinct();
        foreach (var step in steps)
        {
            var stepStats = new JourneyStepStats
            {
                StepId = step,
                Reached = Sum(JourneyCounter.Reached, step),
                Current = Sum(JourneyCounter.Reached, step) - Sum(JourneyCounter.Left, step),
            };
            stepStats.Sent.AddRange(Labels(totals.Where(t => t.Key.Step == step && t.Key.Counter == JourneyCounter.Sent)));
            stepStats.Suppressed.AddRange(Labels(totals.Where(t => t.Key.Step == step && t.Key.Counter == JourneyCounter.Suppressed)));
            stepStats.Dropped.AddRange(Labels(totals.Where(t => t.Key.Step == step && t.Key.Counter == JourneyCounter.Dropped)));
            stats.Steps.Add(stepStats);
        }

        return stats;
    }

    /// <summary>A sample-ratio check in the contract, flagged below <see cref="SampleRatio.Threshold"/>.</summary>
    public static JourneySampleRatio Ratio(string stepId, double p) => new() { StepId = stepId, PValue = p, Mismatch = p < SampleRatio.Threshold };

    /// <summary>Goal conversion of the treated, the holdout and each arm, with the comparisons' intervals.</summary>
    public static JourneyGoalResults Goal(JourneyOutcomes outcomes)
    {
        var goal = new JourneyGoalResults();
        goal.Groups.Add(CampaignMapping.Arm(JourneyOutcomes.Treated, outcomes.TreatedCounts));
        goal.Groups.Add(CampaignMapping.Arm(JourneyOutcomes.Holdout, outcomes.HoldoutCounts));
        goal.Groups.AddRange(outcomes.Arms.Select(a => CampaignMapping.Arm(a.Arm, a.Counts)));
        goal.Comparisons.Add(CampaignMapping.Compare(JourneyOutcomes.Treated, JourneyOutcomes.Holdout, "conversion_rate", outcomes.Lift(), randomised: true));
        goal.Comparisons.AddRange(outcomes.ArmsAgainstFirst().Select(a => CampaignMapping.Compare(a.Arm, a.Baseline, "conversion_rate", a.Difference, randomised: true)));
        goal.Comparisons.Add(CampaignMapping.Compare(JourneyOutcomes.Treated, JourneyOutcomes.Holdout, "revenue_per_recipient", outcomes.RevenueLift(), randomised: true));
        goal.Comparisons.AddRange(outcomes.ArmRevenueAgainstFirst().Select(a => CampaignMapping.Compare(a.Arm, a.Baseline, "revenue_per_recipient", a.Difference, randomised: true)));
        return goal;
    }

    private static IEnumerable<ReasonCount> Labels(IEnumerable<JourneyTotal> totals) => totals
        .GroupBy(t => TraitParsing.SnakeCase(t.Key.Label).ToUpperInvariant())
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => new ReasonCount { Reason = g.Key, Count = g.Sum(t => t.Count) });

    private static Decisioning.Journeys.JourneyStep ToDomain(JourneyStep step) => step.KindCase switch
    {
        JourneyStep.KindOneofCase.Send => new()
        {
            Id = step.Id,
            Kind = JourneyStepKind.Send,
            OfferIds = [.. step.Send.OfferIds],
            Channels = [.. step.Send.Channels.Select(c => (DomainChannel)(int)c)],
            Next = step.Send.Next,
        },
        JourneyStep.KindOneofCase.Wait => new()
        {
            Id = step.Id,
            Kind = JourneyStepKind.Wait,
            Duration = Span(step.Wait.Duration),
            UntilBestHour = step.Wait.UntilBestHour,
            UntilLocalTime = step.Wait.UntilLocalTime.Length > 0 ? ClockTime(step.Wait.UntilLocalTime) : null,
            Next = step.Wait.Next,
        },
        JourneyStep.KindOneofCase.WaitForEvent => new()
        {
            Id = step.Id,
            Kind = JourneyStepKind.WaitForEvent,
            EventType = (CustomerEventType)(int)step.WaitForEvent.EventType,
            Timeout = Span(step.WaitForEvent.Timeout),
            MatchProperty = step.WaitForEvent.MatchProperty,
            OnEvent = step.WaitForEvent.OnEvent,
            OnTimeout = step.WaitForEvent.OnTimeout,
        },
        JourneyStep.KindOneofCase.Branch => new()
        {
            Id = step.Id,
            Kind = JourneyStepKind.Branch,
            Rule = step.Branch.Rule,
            Then = step.Branch.Then,
            Otherwise = step.Branch.Otherwise,
        },
        JourneyStep.KindOneofCase.Exit => new() { Id = step.Id, Kind = JourneyStepKind.Exit },
        JourneyStep.KindOneofCase.Split => new()
        {
            Id = step.Id,
            Kind = JourneyStepKind.Split,
            Paths = [.. step.Split.Paths.Select(p => new JourneyPath(p.Name, p.Weight, p.Next))],
        },
        _ => new() { Id = step.Id, Kind = JourneyStepKind.Unspecified },
    };

    private static JourneyStep ToContract(Decisioning.Journeys.JourneyStep step)
    {
        var contract = new JourneyStep { Id = step.Id };
        switch (step.Kind)
        {
            case JourneyStepKind.Send:
                contract.Send = new SendStep { Next = step.Next };
                contract.Send.OfferIds.AddRange(step.OfferIds);
                contract.Send.Channels.AddRange(step.Channels.Select(c => (V1.Channel)(int)c));
                break;
            case JourneyStepKind.Wait:
                contract.Wait = new WaitStep
                {
                    Duration = step.Duration == TimeSpan.Zero ? null : Duration.FromTimeSpan(step.Duration),
                    UntilBestHour = step.UntilBestHour,
                    UntilLocalTime = step.UntilLocalTime is { } local ? $"{local:hh\\:mm}" : "",
                    Next = step.Next,
                };
                break;
            case JourneyStepKind.WaitForEvent:
                contract.WaitForEvent = new WaitForEventStep
                {
                    EventType = (EventType)(int)step.EventType,
                    Timeout = Duration.FromTimeSpan(step.Timeout),
                    MatchProperty = step.MatchProperty,
                    OnEvent = step.OnEvent,
                    OnTimeout = step.OnTimeout,
                };
                break;
            case JourneyStepKind.Branch:
                contract.Branch = new BranchStep { Rule = step.Rule, Then = step.Then, Otherwise = step.Otherwise };
                break;
            case JourneyStepKind.Split:
                contract.Split = new SplitStep();
                contract.Split.Paths.AddRange(step.Paths.Select(p => new SplitPath { Name = p.Name, Weight = p.Weight, Next = p.Next }));
                break;
            default:
                contract.Exit = new ExitStep();
                break;
        }

        return contract;
    }

    // HH:MM as a time of day; anything else is -1 minute, which validation rejects naming the field.
    private static TimeSpan ClockTime(string text) =>
        TimeOnly.TryParseExact(text, "HH:mm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var time)
            ? time.ToTimeSpan()
            : TimeSpan.FromMinutes(-1);

    // An unset or out-of-range duration is zero, which validation rejects where one is required.
    private static TimeSpan Span(Duration? duration)
    {
        if (duration is null)
        {
            return TimeSpan.Zero;
        }

        try
        {
            return duration.ToTimeSpan();
        }
        catch (InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }
}
