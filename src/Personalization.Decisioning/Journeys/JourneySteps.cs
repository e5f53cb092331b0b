using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Rules;

namespace Personalization.Decisioning.Journeys;

/// <summary>
/// Advances a customer's journeys. Pure: given the state after an event (or a moment), the journey
/// definitions and a send step runner, it enters, steps and ends enrollments in the state and says
/// what to log, queue and count. Exit criteria are checked on every event before anything else, so a
/// customer who buys while waiting never reaches the reminder. A pass runs every step that is due and
/// stops at the first wait; validation forbids loops with no wait, so a pass is bounded.
/// </summary>
public static class JourneySteps
{
    /// <summary>The enrollment of a journey in the state (active or the last ended one), or null.</summary>
    public static Enrollment? Of(CustomerState state, string journeyId) => state.Journeys?.Find(e => e.JourneyId == journeyId);

    /// <summary>The earliest time an active enrollment wants to be woken, or null when none waits on time.</summary>
    public static DateTime? NextDue(CustomerState state)
    {
        DateTime? next = null;
        foreach (var enrollment in state.Journeys ?? [])
        {
            if (enrollment is { Active: true, DueAt: { } due } && (next is null || due < next))
            {
                next = due;
            }
        }

        return next;
    }

    /// <summary>
    /// The earliest time the customer wants to be woken: an enrollment's due step, or the next entry of
    /// an active yearly-date journey; null when nothing timed is ahead.
    /// </summary>
    public static DateTime? NextDue(CustomerState state, JourneySnapshot journeys, DateTime now)
    {
        var next = NextDue(state);
        if (!HasDateEntries(journeys))
        {
            return next;
        }

        foreach (var journey in journeys.Active().Where(j => j.EntryKind == JourneyEntryKind.YearlyDate))
        {
            // A barred date entry (excluded, or the journey full) wakes nobody: the enrollment that bars it has its own due time.
            if (JourneyDates.NextEntry(state, journey, now) is { } entry && (next is null || entry < next) && Bar(state, journey, journeys) is null)
            {
                next = entry;
            }
        }

        return next;
    }

    /// <summary>Whether a wake-up at <paramref name="now"/> has anything to do: a due or archived enrollment, or a date entry.</summary>
    public static bool HasDue(CustomerState state, JourneySnapshot journeys, DateTime now) =>
        (state.Journeys?.Exists(e => e.Active && (e.DueAt <= now || journeys.StatusOf(e.JourneyId) == JourneyStatus.Archived)) ?? false)
        || (HasDateEntries(journeys) && journeys.Active().Any(j => j.EntryKind == JourneyEntryKind.YearlyDate && JourneyDates.Due(state, j, now) && Bar(state, j, journeys) is null));

    // Cheap first look (no allocation) before the active journeys are sorted out.
    private static bool HasDateEntries(JourneySnapshot journeys)
    {
        foreach (var definition in journeys.Definitions)
        {
            if (definition.EntryKind == JourneyEntryKind.YearlyDate)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Stores an enrollment, replacing the journey's earlier one: what the live path and a replay both do.</summary>
    public static void Put(CustomerState state, Enrollment enrollment)
    {
        var journeys = state.Journeys ??= [];
        var index = journeys.FindIndex(e => e.JourneyId == enrollment.JourneyId);
        if (enrollment.JoinedSegment is { } segment && (index < 0 || journeys[index].Number != enrollment.Number))
        {
            // The join that entered is logged with the entry: a replay restores the membership too, so
            // the re-evaluation after a crash does not see the same join again.
            state.Segments[segment] = enrollment.JoinedGeneration;
        }

        if (index >= 0)
        {
            journeys[index] = enrollment;
        }
        else
        {
            journeys.Add(enrollment);
        }
    }

    /// <summary>Whether the re-entry policy and entry limit let a customer with <paramref name="previous"/> enter <paramref name="journey"/> at <paramref name="now"/>.</summary>
    public static bool MayEnter(Enrollment? previous, JourneyDefinition journey, DateTime now) => previous switch
    {
        null => true,
        { Active: true } => false,
        _ when journey.MaxEntries > 0 && previous.Number >= journey.MaxEntries => false,
        _ => journey.ReEntry switch
        {
            ReEntryPolicy.AfterExit => true,
            ReEntryPolicy.AfterPeriod => now - previous.EnteredAt >= journey.ReEntryAfter,
            _ => false,
        },
    };

    /// <summary>
    /// Why a customer the entry admits may still not enter <paramref name="journey"/>, or null when nothing
    /// bars it: active in another journey of the same exclusion group (whatever either's priority: an
    /// enrollment in flight is never displaced, so a customer is not dropped mid-series and its results stay
    /// whole; among journeys one event enters together, <see cref="Arbitrate"/> runs the higher priority first,
    /// then the higher expected value, then the lower id, so that one wins), or the journey's total entry limit reached.
    /// </summary>
    public static JourneyNotEntered? Bar(CustomerState state, JourneyDefinition journey, JourneySnapshot journeys)
    {
        if (journey.ExclusionGroup.Length > 0 && state.Journeys is { } enrollments)
        {
            foreach (var enrollment in enrollments)
            {
                if (enrollment.Active && enrollment.JourneyId != journey.JourneyId
                    && journeys.Find(enrollment.JourneyId, enrollment.Version)?.ExclusionGroup == journey.ExclusionGroup)
                {
                    return JourneyNotEntered.Excluded;
                }
            }
        }

        return journey.MaxTotalEntries > 0 && journeys.Full.Contains(journey.JourneyId) ? JourneyNotEntered.TotalLimit : null;
    }

    /// <summary>
    /// After <paramref name="e"/> was applied to the state: counts goal conversions, ends the
    /// enrollments it exits, moves those waiting for it, then enters the active journeys it starts.
    /// </summary>
    public static JourneyRun OnEvent(CustomerState state, string customerId, CustomerEvent e, JourneySnapshot journeys, DecisionPolicy policy, JourneySender send, DateTime now, JourneyValue? value = null)
    {
        var run = new JourneyRun();
        foreach (var enrollment in state.Journeys?.ToList() ?? [])
        {
            if (journeys.Find(enrollment.JourneyId, enrollment.Version) is { } goal
                && goal.GoalEvent == e.Type && goal.GoalEvent != CustomerEventType.Unspecified
                && enrollment.ConvertedAt is null
                && now >= enrollment.EnteredAt && now - enrollment.EnteredAt <= goal.GoalWithin)
            {
                run.Counts.Add(new(enrollment.JourneyId, enrollment.Step, JourneyCounter.Converted, enrollment.Group));
                if (!enrollment.Holdout && enrollment.Arm is { } arm)
                {
                    run.Counts.Add(new(enrollment.JourneyId, enrollment.Step, JourneyCounter.ArmConverted, arm));
                }

                // Revenue is a purchase's total, as campaigns attribute it (a product view's price is not revenue).
                var amount = e.Type == CustomerEventType.Purchase ? e.Amount : 0;
                run.Sums.AddRange(JourneyRevenue.Of(enrollment.JourneyId, enrollment.Step, enrollment.Group, enrollment.Holdout ? null : enrollment.Arm, amount));

                Log(state, enrollment with { ConvertedAt = now }, now, run, []);
            }
        }

        foreach (var enrollment in Active(state))
        {
            if (journeys.Find(enrollment.JourneyId, enrollment.Version) is not { } journey || journeys.StatusOf(enrollment.JourneyId) == JourneyStatus.Archived)
            {
                End(state, enrollment, JourneyEnd.Archived, now, run, []);
            }
            else if (journey.ExitEvents.Contains(e.Type))
            {
                End(state, enrollment, JourneyEnd.ExitEvent, now, run, []);
            }
            else if (journey.ExitRule.Length > 0 && RuleLanguage.Compile(journey.ExitRule).Matches(state, now))
            {
                End(state, enrollment, JourneyEnd.ExitRule, now, run, []);
            }
            else if (journeys.StatusOf(journey.JourneyId) == JourneyStatus.Active
                && journey.Step(enrollment.Step) is { Kind: JourneyStepKind.WaitForEvent } step
                && step.EventType == e.Type
                && (step.MatchProperty.Length == 0 || (enrollment.Match is { } match && match == ValueOf(e, step.MatchProperty))))
            {
                var records = new List<DecisionRecord>();
                if (Move(state, journey, enrollment, step, step.OnEvent, now, run, records) is { } moved)
                {
                    Advance(state, customerId, journey, moved, policy, send, now, run, records);
                }
            }
        }

        var entering = journeys.Active().Where(journey => journey.EntryKind == JourneyEntryKind.Event
            && journey.EntryEvent == e.Type
            && !journey.ExitEvents.Contains(e.Type)
            && MayEnter(Of(state, journey.JourneyId), journey, now)
            && RuleAdmits(journey.EntryRule, state, now));
        foreach (var journey in Arbitrate(entering, value))
        {
            if (Unbarred(state, journey, journeys, run))
            {
                Enter(state, customerId, journey, journey.MatchProperty.Length > 0 ? ValueOf(e, journey.MatchProperty) : null, null, policy, send, now, run);
            }
        }

        return run;
    }

    /// <summary>
    /// After the customer joined segments (each with its generation): enters the active journeys whose
    /// entry is a join of one of them, once per join (the join is logged with the entry).
    /// </summary>
    public static JourneyRun OnSegmentJoin(CustomerState state, string customerId, IReadOnlyList<(string Segment, long Generation)> joins, JourneySnapshot journeys, DecisionPolicy policy, JourneySender send, DateTime now, JourneyValue? value = null)
    {
        var run = new JourneyRun();
        var entering = journeys.Active().Where(journey => journey.EntryKind == JourneyEntryKind.SegmentJoin
            && joins.Any(j => j.Segment == journey.EntrySegment)
            && MayEnter(Of(state, journey.JourneyId), journey, now)
            && RuleAdmits(journey.EntryRule, state, now));
        foreach (var journey in Arbitrate(entering, value))
        {
            if (Unbarred(state, journey, journeys, run))
            {
                Enter(state, customerId, journey, null, joins.First(j => j.Segment == journey.EntrySegment), policy, send, now, run);
            }
        }

        return run;
    }

    /// <summary>
    /// Runs every enrollment whose step is due at <paramref name="now"/> (paused journeys hold, archived
    /// ones end), then enters the yearly-date journeys whose date it is.
    /// </summary>
    public static JourneyRun Wake(CustomerState state, string customerId, JourneySnapshot journeys, DecisionPolicy policy, JourneySender send, DateTime now, JourneyValue? value = null)
    {
        var run = new JourneyRun();
        foreach (var enrollment in Active(state))
        {
            var status = journeys.StatusOf(enrollment.JourneyId);
            if (journeys.Find(enrollment.JourneyId, enrollment.Version) is not { } journey || status == JourneyStatus.Archived)
            {
                End(state, enrollment, JourneyEnd.Archived, now, run, []);
            }
            else if (status == JourneyStatus.Active && enrollment.DueAt is { } due && due <= now)
            {
                Advance(state, customerId, journey, enrollment, policy, send, now, run, []);
            }
        }

        var entering = HasDateEntries(journeys)
            ? journeys.Active().Where(journey => journey.EntryKind == JourneyEntryKind.YearlyDate && JourneyDates.Due(state, journey, now) && RuleAdmits(journey.EntryRule, state, now))
            : [];
        foreach (var journey in Arbitrate(entering, value))
        {
            if (Unbarred(state, journey, journeys, run))
            {
                Enter(state, customerId, journey, null, null, policy, send, now, run);
            }
        }

        return run;
    }

    /// <summary>
    /// The order in which journeys one event (or join, or date) would enter are offered the customer — what decides
    /// which of two mutually exclusive journeys wins, and which gets a slot the caps leave one of: higher priority
    /// first; among equal priorities the higher expected value to this customer (<paramref name="value"/>, asked only
    /// for journeys tied on priority, so a lone entry costs no scoring), then the journey id.
    /// </summary>
    public static IReadOnlyList<JourneyDefinition> Arbitrate(IEnumerable<JourneyDefinition> entering, JourneyValue? value)
    {
        var list = entering as IReadOnlyList<JourneyDefinition> ?? [.. entering];
        if (list.Count < 2 || value is null)
        {
            return list;
        }

        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var tied in list.GroupBy(j => j.Priority).Where(g => g.Count() > 1).SelectMany(g => g))
        {
            values[tied.JourneyId] = value(tied);
        }

        return values.Count == 0
            ? list
            : [.. list.OrderByDescending(j => j.Priority).ThenByDescending(j => values.GetValueOrDefault(j.JourneyId)).ThenBy(j => j.JourneyId, StringComparer.Ordinal)];
    }

    /// <summary>Whether the customer is in the journey's holdout: a stable draw per journey and customer.</summary>
    public static bool InHoldout(string journeyId, string customerId, double share) =>
        share > 0 && EventIdHash.Unit($"journey-holdout:{journeyId}:{customerId}") < share;

    /// <summary>The path a split step takes for a customer: a stable draw per journey, step and customer, cut by the weights.</summary>
    public static JourneyPath PathOf(string journeyId, JourneyStep split, string customerId) =>
        split.Paths[Measurement.WeightedDraw.Pick(EventIdHash.Unit($"journey-split:{journeyId}:{split.Id}:{customerId}"), [.. split.Paths.Select(p => p.Weight)])];

    /// <summary>
    /// The value of an event property a wait-for-event step can match: order_id, product_id, category,
    /// or a custom property; null when the event has none.
    /// </summary>
    public static string? ValueOf(CustomerEvent e, string property) => property switch
    {
        "order_id" => e.OrderId,
        "product_id" => e.ProductId ?? e.Items?.FirstOrDefault()?.ProductId,
        "category" => e.Category,
        _ => e.Properties?.GetValueOrDefault(property)?.ToString(),
    };

    private static List<Enrollment> Active(CustomerState state) => state.Journeys?.Where(e => e.Active).ToList() ?? [];

    // Nothing bars the entry; else counts the customer as not entered, by reason.
    private static bool Unbarred(CustomerState state, JourneyDefinition journey, JourneySnapshot journeys, JourneyRun run)
    {
        if (Bar(state, journey, journeys) is not { } reason)
        {
            return true;
        }

        run.Counts.Add(new(journey.JourneyId, journey.Steps[0].Id, JourneyCounter.NotEntered, reason.ToString()));
        return false;
    }

    private static bool RuleAdmits(string rule, CustomerState state, DateTime now) => rule.Length == 0 || RuleLanguage.Compile(rule).Matches(state, now);

    private static void Enter(CustomerState state, string customerId, JourneyDefinition journey, string? match, (string Segment, long Generation)? join, DecisionPolicy policy, JourneySender send, DateTime now, JourneyRun run)
    {
        var first = journey.Steps[0];
        var entered = new Enrollment
        {
            JourneyId = journey.JourneyId,
            Version = journey.Version,
            Step = first.Id,
            Number = (Of(state, journey.JourneyId)?.Number ?? 0) + 1,
            EnteredAt = now,
            Match = match,
            Holdout = InHoldout(journey.JourneyId, customerId, journey.HoldoutShare),
            JoinedSegment = join?.Segment,
            JoinedGeneration = join?.Generation ?? 0,
        };
        run.Counts.Add(new(journey.JourneyId, first.Id, JourneyCounter.Entered, entered.Group));
        run.Counts.Add(new(journey.JourneyId, first.Id, JourneyCounter.Reached, ""));
        Advance(state, customerId, journey, entered, policy, send, now, run, []);
    }

    // Runs steps from the enrollment's current one until one has to wait, then stores and logs it.
    private static void Advance(CustomerState state, string customerId, JourneyDefinition journey, Enrollment enrollment, DecisionPolicy policy, JourneySender send, DateTime now, JourneyRun run, List<DecisionRecord> records)
    {
        // Each step at most once per pass: validation allows no loop without a wait, and a wait stops the pass.
        for (var passes = 0; passes <= journey.Steps.Count; passes++)
        {
            if (journey.Step(enrollment.Step) is not { } step)
            {
                End(state, enrollment, JourneyEnd.Completed, now, run, records);
                return;
            }

            string next;
            switch (step.Kind)
            {
                case JourneyStepKind.Wait or JourneyStepKind.WaitForEvent:
                    if (enrollment.DueAt is null)
                    {
                        enrollment = enrollment with { DueAt = DueOf(state, step, policy, now) };
                    }

                    if (enrollment.DueAt > now)
                    {
                        Log(state, enrollment, now, run, records);
                        return;
                    }

                    next = step.Kind == JourneyStepKind.Wait ? step.Next : step.OnTimeout;
                    break;
                case JourneyStepKind.Send:
                    if (enrollment.DueAt > now)
                    {
                        Log(state, enrollment, now, run, records);
                        return;
                    }

                    if (enrollment.Holdout)
                    {
                        // The journey's holdout moves through the steps but is sent nothing: the results' baseline.
                        run.Counts.Add(new(journey.JourneyId, step.Id, JourneyCounter.Suppressed, "Holdout"));
                        next = step.Next;
                        break;
                    }

                    var sent = send(journey, step, enrollment, now);
                    if (sent.DeferUntil is { } later)
                    {
                        Log(state, enrollment with { DueAt = later }, now, run, records);
                        return;
                    }

                    records.AddRange(sent.Records);
                    run.Deliveries.AddRange(sent.Deliveries);
                    run.Counts.AddRange(sent.Deliveries.Count > 0
                        ? sent.Deliveries.Select(d => new JourneyCount(journey.JourneyId, step.Id, JourneyCounter.Sent, d.Channel.ToString()))
                        : [new JourneyCount(journey.JourneyId, step.Id, JourneyCounter.Suppressed, sent.Suppression.ToString())]);
                    next = step.Next;
                    break;
                case JourneyStepKind.Branch:
                    next = RuleLanguage.Compile(step.Rule).Matches(state, now) ? step.Then : step.Otherwise;
                    break;
                case JourneyStepKind.Split:
                    var path = PathOf(journey.JourneyId, step, customerId);
                    enrollment = enrollment with { Arm = path.Name };
                    if (!enrollment.Holdout)
                    {
                        run.Counts.Add(new(journey.JourneyId, step.Id, JourneyCounter.Assigned, path.Name));
                    }

                    next = path.Next;
                    break;
                default:
                    End(state, enrollment, JourneyEnd.ExitStep, now, run, records);
                    return;
            }

            if (Move(state, journey, enrollment, step, next, now, run, records) is not { } moved)
            {
                return;
            }

            enrollment = moved;
        }

        // Unreachable for a validated journey; ends rather than spins.
        End(state, enrollment, JourneyEnd.Completed, now, run, records);
    }

    // Leaves a step for the next one (null: the journey completed and was logged).
    private static Enrollment? Move(CustomerState state, JourneyDefinition journey, Enrollment enrollment, JourneyStep from, string next, DateTime now, JourneyRun run, List<DecisionRecord> records)
    {
        if (next.Length == 0)
        {
            End(state, enrollment, JourneyEnd.Completed, now, run, records);
            return null;
        }

        run.Counts.Add(new(journey.JourneyId, from.Id, JourneyCounter.Left, ""));
        run.Counts.Add(new(journey.JourneyId, next, JourneyCounter.Reached, ""));
        return enrollment with { Step = next, DueAt = null };
    }

    private static DateTime DueOf(CustomerState state, JourneyStep step, DecisionPolicy policy, DateTime now) => step switch
    {
        { Kind: JourneyStepKind.WaitForEvent } => now + step.Timeout,
        { UntilBestHour: true } => DecisionEngine.BestHour(state, now, policy),
        { UntilLocalTime: { } at } => NextLocalTime(state, at, now),
        _ => now + step.Duration,
    };

    // The next moment (after now) the customer's clock shows the time of day.
    private static DateTime NextLocalTime(CustomerState state, TimeSpan at, DateTime now)
    {
        var local = TimeZones.Local(now, state.TimeZone);
        var day = local.Date + at > local ? local.Date : local.Date.AddDays(1);
        return JourneyDates.Utc(day + at, state.TimeZone);
    }

    private static void End(CustomerState state, Enrollment enrollment, JourneyEnd end, DateTime now, JourneyRun run, List<DecisionRecord> records)
    {
        run.Counts.Add(new(enrollment.JourneyId, enrollment.Step, JourneyCounter.Left, ""));
        run.Counts.Add(new(enrollment.JourneyId, enrollment.Step, JourneyCounter.Ended, end.ToString()));
        Log(state, enrollment with { DueAt = null, EndedAt = now, End = end }, now, run, records);
    }

    private static void Log(CustomerState state, Enrollment enrollment, DateTime now, JourneyRun run, List<DecisionRecord> records)
    {
        Put(state, enrollment);
        run.Changes.Add(new JourneyAdvanced(enrollment, [.. records], state.DecisionCount, now));
        records.Clear();
    }
}
