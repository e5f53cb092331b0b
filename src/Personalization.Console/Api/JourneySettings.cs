using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using Personalization.Console.Display;
using Personalization.V1;

namespace Personalization.Console.Api;

/// <summary>
/// The settings of a journey a campaign manager changes on its page (name, priority, offers and channels, holdout
/// share, re-entry limits, the goal window, and per step: a wait's duration, a wait-for-event's timeout, a send's
/// offers and channels), as the edit form holds them. Pure: <see cref="From"/> fills the form from the current
/// version, <see cref="ToJourney"/> applies the form to it as the next version's definition (the structure of the
/// journey, its steps and their order stay as they are: the diagram is read-only), and <see cref="FieldErrors"/>
/// places the server's INVALID_ARGUMENT problems next to the fields they name. Durations are typed as people say them
/// ("1h", "2d 3h", "45m"); the server checks their range, so a negative one ("-1h") reaches it and its error is shown.
/// </summary>
public sealed partial class JourneySettings
{
    /// <summary>Display name (<c>journey.name</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>Higher is entered first when one event enters several journeys (<c>journey.priority</c>).</summary>
    public int Priority { get; set; }

    /// <summary>The offers send steps choose among (<c>journey.offer_ids</c>).</summary>
    public IReadOnlyCollection<string> OfferIds { get; set; } = [];

    /// <summary>Allowed channels; none means each offer's own (<c>journey.channels</c>).</summary>
    public IReadOnlyCollection<Channel> Channels { get; set; } = [];

    /// <summary>Share of entrants held out, 0 to 0.5 (<c>journey.holdout_share</c>).</summary>
    public double HoldoutShare { get; set; }

    /// <summary>Whether a customer may enter again (<c>journey.re_entry.policy</c>).</summary>
    public ReEntryPolicy ReEntryPolicy { get; set; }

    /// <summary>For <see cref="ReEntryPolicy.AfterPeriod"/>: the least time between two entries, e.g. "7d" (<c>journey.re_entry.after</c>).</summary>
    public string ReEntryAfter { get; set; } = "";

    /// <summary>Entries per customer at most, 0 for no limit (<c>journey.re_entry.max_entries</c>).</summary>
    public int MaxEntries { get; set; }

    /// <summary>Entries of all customers together at most, 0 for no limit (<c>journey.re_entry.max_total_entries</c>).</summary>
    public long MaxTotalEntries { get; set; }

    /// <summary>The goal's window after entry, e.g. "7d"; only shown when the journey has a goal (<c>journey.goal.within</c>).</summary>
    public string GoalWithin { get; set; } = "";

    /// <summary>Whether the journey has a goal (its window is then editable).</summary>
    public bool HasGoal { get; init; }

    /// <summary>The steps with a setting to change, in the journey's order (exits, branches and splits have none here).</summary>
    public List<StepSettings> Steps { get; init; } = [];

    /// <summary>The form filled from a journey's current version.</summary>
    public static JourneySettings From(Journey journey) => new()
    {
        Name = journey.Name,
        Priority = journey.Priority,
        OfferIds = [.. journey.OfferIds],
        Channels = [.. journey.Channels],
        HoldoutShare = journey.HoldoutShare,
        ReEntryPolicy = journey.ReEntry?.Policy ?? ReEntryPolicy.Unspecified,
        ReEntryAfter = journey.ReEntry?.After is { } after ? JourneySteps.Span(after.ToTimeSpan()) : "",
        MaxEntries = journey.ReEntry?.MaxEntries ?? 0,
        MaxTotalEntries = journey.ReEntry?.MaxTotalEntries ?? 0,
        HasGoal = journey.Goal is not null,
        GoalWithin = journey.Goal?.Within is { } within ? JourneySteps.Span(within.ToTimeSpan()) : "",
        Steps = journey.Steps.Select((step, index) => StepSettings.From(step, index)).OfType<StepSettings>().ToList(),
    };

    /// <summary>
    /// The next version's definition: <paramref name="current"/> with this form's settings (output-only fields cleared),
    /// or, when a duration does not read, no journey and the problems by field (the server's field names).
    /// </summary>
    public (Journey? Journey, IReadOnlyDictionary<string, string> Problems) ToJourney(Journey current)
    {
        var problems = new Dictionary<string, string>(StringComparer.Ordinal);
        var journey = current.Clone();
        journey.Version = 0;
        journey.State = JourneyState.Unspecified;
        journey.CreatedAt = null;
        journey.UpdatedAt = null;
        journey.Stats = null;

        journey.Name = Name.Trim();
        journey.Priority = Priority;
        Replace(journey.OfferIds, OfferIds);
        Replace(journey.Channels, Channels);
        journey.HoldoutShare = HoldoutShare;
        journey.ReEntry = new ReEntry
        {
            Policy = ReEntryPolicy,
            After = ReEntryPolicy == ReEntryPolicy.AfterPeriod ? Read(ReEntryAfter, "journey.re_entry.after", problems) : null,
            MaxEntries = MaxEntries,
            MaxTotalEntries = MaxTotalEntries,
        };
        if (journey.Goal is not null)
        {
            journey.Goal.Within = Read(GoalWithin, "journey.goal.within", problems);
        }

        foreach (var settings in Steps)
        {
            settings.ApplyTo(journey.Steps[settings.Index], problems);
        }

        return (problems.Count == 0 ? journey : null, problems);
    }

    /// <summary>
    /// The server's INVALID_ARGUMENT detail ("journey.name: is required ...; journey.steps[0].wait.duration: more than 0 ...")
    /// as messages by field. A part that names no field is kept under the empty key.
    /// </summary>
    public static IReadOnlyDictionary<string, string> FieldErrors(string detail)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in ProblemSeparator().Split(detail))
        {
            var match = FieldProblem().Match(part.Trim());
            var (field, message) = match.Success ? (match.Groups["field"].Value, match.Groups["message"].Value) : ("", part.Trim());
            errors[field] = errors.TryGetValue(field, out var earlier) ? $"{earlier}; {message}" : message;
        }

        return errors;
    }

    /// <summary>
    /// A duration as people type it: whole days, hours, minutes and seconds ("1h", "2d 3h", "90m", "3600s"), with an
    /// optional leading '-'; null when it does not read that way.
    /// </summary>
    public static TimeSpan? ParseSpan(string? text)
    {
        var match = SpanText().Match(text ?? "");
        if (!match.Success)
        {
            return null;
        }

        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var amount = long.Parse(part.Value[..^1], NumberStyles.None, CultureInfo.InvariantCulture);
            if (amount > 1_000_000)
            {
                return null;
            }

            total += part.Value[^1] switch
            {
                'd' => TimeSpan.FromDays(amount),
                'h' => TimeSpan.FromHours(amount),
                'm' => TimeSpan.FromMinutes(amount),
                _ => TimeSpan.FromSeconds(amount),
            };
        }

        return match.Groups["minus"].Success ? -total : total;
    }

    // A duration field as the message's Duration, or a problem at the field.
    internal static Duration? Read(string text, string field, Dictionary<string, string> problems)
    {
        if (ParseSpan(text) is { } span)
        {
            return Duration.FromTimeSpan(span);
        }

        problems[field] = $"'{text}' is not a duration: write it like 1h, 2d 3h or 45m.";
        return null;
    }

    internal static void Replace<T>(Google.Protobuf.Collections.RepeatedField<T> field, IEnumerable<T> values)
    {
        var kept = values.Distinct().ToList();
        field.Clear();
        field.Add(kept);
    }

    [GeneratedRegex(@"^\s*(?<minus>-)?\s*(?:(?<part>\d{1,9}[dhms])\s*)+$")]
    private static partial Regex SpanText();

    // "; " before the next "journey.…:" starts a new problem (a rule's own message may hold "; ").
    [GeneratedRegex(@";\s+(?=journey[\w.\[\]]*:)")]
    private static partial Regex ProblemSeparator();

    [GeneratedRegex(@"^(?<field>journey(?:\.\w+|\[\d+\])*)\s*:\s*(?<message>.*)$", RegexOptions.Singleline)]
    private static partial Regex FieldProblem();
}

/// <summary>One step's settings on the edit form: a wait's duration, a wait-for-event's timeout, a send's offers and channels.</summary>
public sealed class StepSettings
{
    /// <summary>The step's position in the journey (the server names fields by it: <c>journey.steps[2]</c>).</summary>
    public int Index { get; init; }

    /// <summary>The step's id.</summary>
    public string Id { get; init; } = "";

    /// <summary>The kind of step.</summary>
    public JourneyStep.KindOneofCase Kind { get; init; }

    /// <summary>A wait's duration or a wait-for-event's timeout as typed ("1h").</summary>
    public string Duration { get; set; } = "";

    /// <summary>A send step's offers (none: all the journey's).</summary>
    public IReadOnlyCollection<string> OfferIds { get; set; } = [];

    /// <summary>A send step's channels (none: the journey's).</summary>
    public IReadOnlyCollection<Channel> Channels { get; set; } = [];

    /// <summary>The server's name of the field <see cref="Duration"/> edits (<c>journey.steps[0].wait.duration</c>).</summary>
    public string DurationField => Kind == JourneyStep.KindOneofCase.Wait ? $"journey.steps[{Index}].wait.duration" : $"journey.steps[{Index}].wait_for_event.timeout";

    /// <summary>The server's name of a send step's offers field.</summary>
    public string OffersField => $"journey.steps[{Index}].send.offer_ids";

    /// <summary>The server's name of a send step's channels field.</summary>
    public string ChannelsField => $"journey.steps[{Index}].send.channels";

    /// <summary>The step's settings, or null for a step with none here (an exit, a branch, a split, a wait until a time of day or the best hour).</summary>
    public static StepSettings? From(JourneyStep step, int index) => step.KindCase switch
    {
        JourneyStep.KindOneofCase.Wait when step.Wait.Duration is not null => new() { Index = index, Id = step.Id, Kind = step.KindCase, Duration = JourneySteps.Span(step.Wait.Duration.ToTimeSpan()) },
        JourneyStep.KindOneofCase.WaitForEvent => new() { Index = index, Id = step.Id, Kind = step.KindCase, Duration = step.WaitForEvent.Timeout is { } timeout ? JourneySteps.Span(timeout.ToTimeSpan()) : "" },
        JourneyStep.KindOneofCase.Send => new() { Index = index, Id = step.Id, Kind = step.KindCase, OfferIds = [.. step.Send.OfferIds], Channels = [.. step.Send.Channels] },
        _ => null,
    };

    /// <summary>Writes these settings into the step (the next version's copy of it).</summary>
    public void ApplyTo(JourneyStep step, Dictionary<string, string> problems)
    {
        switch (Kind)
        {
            case JourneyStep.KindOneofCase.Wait:
                step.Wait.Duration = JourneySettings.Read(Duration, DurationField, problems);
                break;
            case JourneyStep.KindOneofCase.WaitForEvent:
                step.WaitForEvent.Timeout = JourneySettings.Read(Duration, DurationField, problems);
                break;
            case JourneyStep.KindOneofCase.Send:
                JourneySettings.Replace(step.Send.OfferIds, OfferIds);
                JourneySettings.Replace(step.Send.Channels, Channels);
                break;
        }
    }
}
