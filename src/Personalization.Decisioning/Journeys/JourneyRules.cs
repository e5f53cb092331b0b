using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Rules;

namespace Personalization.Decisioning.Journeys;

/// <summary>
/// Validates a journey definition; every problem names its field as in the public contract
/// (<c>journey.steps[2].wait.duration</c>) and, for a rule, its line and column. Beyond the fields:
/// every step is reached from the first, every path names a step that exists, and no loop runs
/// without a wait (a pass of <see cref="JourneySteps"/> must stop).
/// </summary>
public static class JourneyRules
{
    /// <summary>Most steps in a journey.</summary>
    public const int MaxSteps = 50;

    /// <summary>Most offers a journey chooses among.</summary>
    public const int MaxOffers = 50;

    /// <summary>The longest wait, timeout or re-entry period.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromDays(365);

    /// <summary>The highest entry limit per customer a journey may set.</summary>
    public const int MaxEntries = 1000;

    /// <summary>The highest total entry limit a journey may set.</summary>
    public const long MaxTotalEntries = 1_000_000_000;

    /// <summary>The longest exclusion group name.</summary>
    public const int MaxGroupLength = 64;

    private static readonly HashSet<Channel> Sendable = [Channel.Email, Channel.Sms, Channel.Push, Channel.InApp, Channel.DirectMail, Channel.Social, Channel.CallCenter];

    /// <summary>Every problem with <paramref name="journey"/>; empty when it can be saved.</summary>
    public static List<FieldError> Validate(JourneyDefinition journey)
    {
        var errors = new List<FieldError>();
        if (journey.JourneyId.Length == 0 || Ids.Problem(journey.JourneyId, Ids.MaxLength) is not null || journey.JourneyId.Contains(':', StringComparison.Ordinal))
        {
            errors.Add(new("journey.journey_id", "1 to 128 characters, no control characters, backslash or ':'."));
        }

        if (string.IsNullOrWhiteSpace(journey.Name) || journey.Name.Length > 200)
        {
            errors.Add(new("journey.name", "is required, at most 200 characters."));
        }

        CheckEntry(errors, journey);

        CheckRule(errors, "journey.entry.rule", journey.EntryRule);
        CheckRule(errors, "journey.exit.rule", journey.ExitRule);
        foreach (var type in journey.ExitEvents.Where(t => t == CustomerEventType.Unspecified || !Enum.IsDefined(t)))
        {
            errors.Add(new("journey.exit.event_types", $"{(int)type} is not an event type."));
        }

        if (journey.MaxEntries is < 0 or > MaxEntries)
        {
            errors.Add(new("journey.re_entry.max_entries", $"0 (no limit) to {MaxEntries}, got {journey.MaxEntries}."));
        }

        if (journey.MaxTotalEntries is < 0 or > MaxTotalEntries)
        {
            errors.Add(new("journey.re_entry.max_total_entries", $"0 (no limit) to {MaxTotalEntries}, got {journey.MaxTotalEntries}."));
        }

        if (journey.ExclusionGroup.Length > MaxGroupLength || !journey.ExclusionGroup.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            errors.Add(new("journey.exclusion_group", $"at most {MaxGroupLength} letters, digits, '-', '_' or '.'."));
        }

        if (journey.ReEntry == ReEntryPolicy.AfterPeriod && (journey.ReEntryAfter <= TimeSpan.Zero || journey.ReEntryAfter > MaxWait))
        {
            errors.Add(new("journey.re_entry.after", $"more than 0 and at most 365 days, got {journey.ReEntryAfter}."));
        }

        if (journey.OfferIds.Count > MaxOffers || journey.OfferIds.Distinct(StringComparer.Ordinal).Count() != journey.OfferIds.Count)
        {
            errors.Add(new("journey.offer_ids", $"at most {MaxOffers} offers, each once."));
        }

        CheckChannels(errors, "journey.channels", journey.Channels);
        if (journey.GoalEvent != CustomerEventType.Unspecified || journey.GoalWithin != TimeSpan.Zero)
        {
            if (journey.GoalEvent == CustomerEventType.Unspecified || !Enum.IsDefined(journey.GoalEvent))
            {
                errors.Add(new("journey.goal.event_type", "is required with a goal: the conversion event."));
            }

            CheckDuration(errors, "journey.goal.within", journey.GoalWithin);
        }

        if (double.IsNaN(journey.HoldoutShare) || journey.HoldoutShare is < 0 or > 0.5)
        {
            errors.Add(new("journey.holdout_share", $"between 0 and 0.5, got {journey.HoldoutShare}."));
        }

        CheckSteps(errors, journey);
        return errors;
    }

    // Exactly one kind of entry, with its own fields.
    private static void CheckEntry(List<FieldError> errors, JourneyDefinition journey)
    {
        switch (journey.EntryKind)
        {
            case JourneyEntryKind.Event:
                if (journey.EntryEvent == CustomerEventType.Unspecified || !Enum.IsDefined(journey.EntryEvent))
                {
                    errors.Add(new("journey.entry.event_type", "is required: the event that enters a customer."));
                }

                break;
            case JourneyEntryKind.SegmentJoin:
                if (journey.EntrySegment.Length == 0 || Ids.Problem(journey.EntrySegment, Ids.MaxLength) is not null)
                {
                    errors.Add(new("journey.entry.segment", "1 to 128 characters, no control characters or backslash."));
                }

                break;
            case JourneyEntryKind.YearlyDate:
                if (journey.EntryDateTrait.Length == 0 || journey.EntryDateTrait.Length > 64 || Ids.Problem(journey.EntryDateTrait, 64) is not null)
                {
                    errors.Add(new("journey.entry.date_trait", "1 to 64 characters: the date trait (e.g. birthday)."));
                }

                if (journey.EntryLocalTime < TimeSpan.Zero || journey.EntryLocalTime >= TimeSpan.FromDays(1))
                {
                    errors.Add(new("journey.entry.time_of_day", "a time of day, HH:MM."));
                }

                break;
            default:
                errors.Add(new("journey.entry", "one of event_type, segment or date_trait."));
                break;
        }

        if (journey.EntryKind != JourneyEntryKind.Event && journey.EntryEvent != CustomerEventType.Unspecified)
        {
            errors.Add(new("journey.entry.event_type", "only one of event_type, segment or date_trait."));
        }
    }

    private static void CheckSteps(List<FieldError> errors, JourneyDefinition journey)
    {
        var steps = journey.Steps;
        var before = errors.Count;
        if (steps.Count is 0 or > MaxSteps)
        {
            errors.Add(new("journey.steps", $"1 to {MaxSteps} steps, got {steps.Count}."));
            return;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var at = $"journey.steps[{i}]";
            if (step.Id.Length == 0 || Ids.Problem(step.Id, 64) is not null || step.Id.Contains(':', StringComparison.Ordinal))
            {
                errors.Add(new($"{at}.id", "1 to 64 characters, no control characters, backslash or ':'."));
            }
            else if (!ids.Add(step.Id))
            {
                errors.Add(new($"{at}.id", $"'{step.Id}' names two steps."));
            }
        }

        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, i) in steps.SelectMany((s, i) => s.Paths.Select(p => (p, i))))
        {
            if (!paths.Add(path.Name))
            {
                errors.Add(new($"journey.steps[{i}].split.paths", $"'{path.Name}' names two paths; an arm's name is used once in a journey."));
            }
        }

        var matchProperties = steps.Select(s => s.MatchProperty).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).Count();
        for (var i = 0; i < steps.Count; i++)
        {
            CheckStep(errors, journey, steps[i], $"journey.steps[{i}]", ids, matchProperties);
        }

        if (errors.Count > before)
        {
            return;
        }

        // Every step reached from the first.
        var reached = new HashSet<string>(StringComparer.Ordinal) { steps[0].Id };
        var queue = new Queue<JourneyStep>([steps[0]]);
        while (queue.TryDequeue(out var step))
        {
            foreach (var next in step.Successors().Where(reached.Add))
            {
                queue.Enqueue(journey.Step(next)!);
            }
        }

        for (var i = 0; i < steps.Count; i++)
        {
            if (!reached.Contains(steps[i].Id))
            {
                errors.Add(new($"journey.steps[{i}]", $"step '{steps[i].Id}' is not reached from the first step '{steps[0].Id}'."));
            }
        }

        // No cycle through steps that do not wait.
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var step in steps.Where(s => !Waits(s)))
        {
            if (Cycle(journey, step, state) is { } loop)
            {
                var index = steps.ToList().FindIndex(s => s.Id == loop);
                errors.Add(new($"journey.steps[{index}]", $"step '{loop}' is on a loop with no wait; add a wait to the loop."));
                return;
            }
        }
    }

    private static void CheckStep(List<FieldError> errors, JourneyDefinition journey, JourneyStep step, string at, HashSet<string> ids, int matchProperties)
    {
        switch (step.Kind)
        {
            case JourneyStepKind.Send:
                CheckTarget(errors, $"{at}.send.next", step.Next, ids);
                CheckChannels(errors, $"{at}.send.channels", step.Channels);
                if (step.OfferIds.Count == 0 && journey.OfferIds.Count == 0)
                {
                    errors.Add(new($"{at}.send.offer_ids", "a send step needs offers: its own or the journey's offer_ids."));
                }

                foreach (var offer in step.OfferIds.Where(o => journey.OfferIds.Count > 0 && !journey.OfferIds.Contains(o)))
                {
                    errors.Add(new($"{at}.send.offer_ids", $"'{offer}' is not one of the journey's offer_ids."));
                }

                break;
            case JourneyStepKind.Wait:
                CheckTarget(errors, $"{at}.wait.next", step.Next, ids);
                var ways = (step.UntilBestHour ? 1 : 0) + (step.UntilLocalTime is null ? 0 : 1) + (step.Duration != TimeSpan.Zero ? 1 : 0);
                if (ways > 1)
                {
                    errors.Add(new($"{at}.wait", "one of duration, until_local_time or until_best_hour."));
                }
                else if (step.UntilLocalTime is { } local && (local < TimeSpan.Zero || local >= TimeSpan.FromDays(1)))
                {
                    errors.Add(new($"{at}.wait.until_local_time", "a time of day, HH:MM."));
                }
                else if (!step.UntilBestHour && step.UntilLocalTime is null)
                {
                    CheckDuration(errors, $"{at}.wait.duration", step.Duration);
                }

                break;
            case JourneyStepKind.WaitForEvent:
                if (step.EventType == CustomerEventType.Unspecified || !Enum.IsDefined(step.EventType))
                {
                    errors.Add(new($"{at}.wait_for_event.event_type", "is required: the event awaited."));
                }

                CheckDuration(errors, $"{at}.wait_for_event.timeout", step.Timeout);
                CheckTarget(errors, $"{at}.wait_for_event.on_event", step.OnEvent, ids);
                CheckTarget(errors, $"{at}.wait_for_event.on_timeout", step.OnTimeout, ids);
                if (step.MatchProperty.Length > 64 || Ids.Problem(step.MatchProperty, 64) is not null)
                {
                    errors.Add(new($"{at}.wait_for_event.match_property", "at most 64 characters, no control characters or backslash."));
                }
                else if (step.MatchProperty.Length > 0 && matchProperties > 1)
                {
                    errors.Add(new($"{at}.wait_for_event.match_property", "every wait_for_event step of a journey matches the same property of the entry event."));
                }

                break;
            case JourneyStepKind.Branch:
                if (step.Rule.Length == 0)
                {
                    errors.Add(new($"{at}.branch.rule", "is required."));
                }

                CheckRule(errors, $"{at}.branch.rule", step.Rule);
                CheckTarget(errors, $"{at}.branch.then", step.Then, ids);
                CheckTarget(errors, $"{at}.branch.otherwise", step.Otherwise, ids);
                break;
            case JourneyStepKind.Split:
                if (step.Paths.Count is < 2 or > 10)
                {
                    errors.Add(new($"{at}.split.paths", $"2 to 10 paths, got {step.Paths.Count}."));
                }

                for (var p = 0; p < step.Paths.Count; p++)
                {
                    var path = step.Paths[p];
                    if (path.Name.Length == 0 || Ids.Problem(path.Name, 64) is not null)
                    {
                        errors.Add(new($"{at}.split.paths[{p}].name", "1 to 64 characters, no control characters or backslash."));
                    }

                    if (double.IsNaN(path.Weight) || path.Weight <= 0 || path.Weight > 1000)
                    {
                        errors.Add(new($"{at}.split.paths[{p}].weight", $"more than 0 and at most 1000, got {path.Weight}."));
                    }

                    CheckTarget(errors, $"{at}.split.paths[{p}].next", path.Next, ids);
                }

                break;
            case JourneyStepKind.Exit:
                break;
            default:
                errors.Add(new(at, "unknown step: one of send, wait, wait_for_event, branch, split, exit."));
                break;
        }
    }

    private static bool Waits(JourneyStep step) => step.Kind is JourneyStepKind.Wait or JourneyStepKind.WaitForEvent;

    // Depth-first over steps that do not wait; returns a step on a cycle (1: on the path, 2: done).
    private static string? Cycle(JourneyDefinition journey, JourneyStep step, Dictionary<string, int> state)
    {
        if (state.TryGetValue(step.Id, out var mark))
        {
            return mark == 1 ? step.Id : null;
        }

        state[step.Id] = 1;
        foreach (var next in step.Successors().Select(journey.Step).OfType<JourneyStep>().Where(s => !Waits(s)))
        {
            if (Cycle(journey, next, state) is { } loop)
            {
                return loop;
            }
        }

        state[step.Id] = 2;
        return null;
    }

    private static void CheckTarget(List<FieldError> errors, string field, string target, HashSet<string> ids)
    {
        if (target.Length > 0 && !ids.Contains(target))
        {
            errors.Add(new(field, $"no step '{target}'."));
        }
    }

    private static void CheckDuration(List<FieldError> errors, string field, TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero || duration > MaxWait)
        {
            errors.Add(new(field, $"more than 0 and at most 365 days, got {duration}."));
        }
    }

    private static void CheckRule(List<FieldError> errors, string field, string rule)
    {
        if (rule.Length > 0 && RuleLanguage.Check(rule, allowContext: false) is { } error)
        {
            errors.Add(new(field, error.ToString()));
        }
    }

    private static void CheckChannels(List<FieldError> errors, string field, IReadOnlyList<Channel> channels)
    {
        foreach (var channel in channels.Where(c => !Sendable.Contains(c)))
        {
            errors.Add(new(field, $"{channel} is not a channel a journey can send on (email, sms, push, in_app, direct_mail, social, call_center)."));
        }
    }
}
