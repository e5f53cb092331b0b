using Personalization.V1;

namespace Personalization.Console.Display;

/// <summary>A journey step in words, for the read-only diagram (pure).</summary>
public static class JourneySteps
{
    /// <summary>What a step does and where it leads ("wait 1h → remind").</summary>
    public static string Describe(JourneyStep step) => step.KindCase switch
    {
        JourneyStep.KindOneofCase.Send => $"send {Offers(step.Send.OfferIds)}{Channels(step.Send.Channels)}{Next(step.Send.Next)}",
        JourneyStep.KindOneofCase.Wait => $"wait{(step.Wait.Duration is null ? "" : " " + Span(step.Wait.Duration.ToTimeSpan()))}{(step.Wait.UntilBestHour ? " until the customer's best hour" : "")}{(step.Wait.UntilLocalTime.Length > 0 ? $" until {step.Wait.UntilLocalTime} on the customer's clock" : "")}{Next(step.Wait.Next)}",
        JourneyStep.KindOneofCase.WaitForEvent => $"wait for {step.WaitForEvent.EventType}{(step.WaitForEvent.Timeout is null ? "" : $" up to {Span(step.WaitForEvent.Timeout.ToTimeSpan())}")}"
            + $"; if it comes → {Or(step.WaitForEvent.OnEvent)}; else → {Or(step.WaitForEvent.OnTimeout)}",
        JourneyStep.KindOneofCase.Branch => $"if {step.Branch.Rule} → {Or(step.Branch.Then)}, otherwise → {Or(step.Branch.Otherwise)}",
        JourneyStep.KindOneofCase.Exit => "exit",
        JourneyStep.KindOneofCase.Split => $"split: {string.Join(", ", step.Split.Paths.Select(p => $"{p.Name} ({p.Weight:0.##}) → {Or(p.Next)}"))}",
        _ => "unknown step",
    };

    /// <summary>How customers enter ("on ADD_TO_CART when cart_value > 20", "joining segment lapsed", "on their birthday date at 09:00").</summary>
    public static string Entry(JourneyEntry? entry) => entry switch
    {
        null => "—",
        { Segment.Length: > 0 } => $"joining segment {entry.Segment}",
        { DateTrait.Length: > 0 } => $"each year on their {entry.DateTrait} date{(entry.TimeOfDay.Length > 0 ? $" at {entry.TimeOfDay}" : "")} (their time zone)",
        _ => $"on {entry.EventType}{(entry.Rule.Length > 0 ? $" when {entry.Rule}" : "")}",
    };

    /// <summary>A duration as people say it ("1h", "2d 3h", "45m").</summary>
    public static string Span(TimeSpan span)
    {
        var parts = new List<string>();
        if (span.Days > 0)
        {
            parts.Add($"{span.Days}d");
        }

        if (span.Hours > 0)
        {
            parts.Add($"{span.Hours}h");
        }

        if (span.Minutes > 0)
        {
            parts.Add($"{span.Minutes}m");
        }

        if (span.Seconds > 0 || parts.Count == 0)
        {
            parts.Add($"{span.Seconds}s");
        }

        return string.Join(' ', parts);
    }

    /// <summary>Customers an entry admitted but the journey did not take, by reason ("excluded 3, total limit 2"); empty when none.</summary>
    public static string NotEntered(IEnumerable<ReasonCount> counts) =>
        string.Join(", ", counts.Where(c => c.Count > 0).Select(c => $"{Labels.Code(c.Reason)} {c.Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)}"));

    /// <summary>
    /// A sample-ratio check in words: which draw ("split step pick", "holdout draw"), its p value, and a warning when the
    /// sizes do not fit the weights (p &lt; 0.001), since then the group results should not be trusted.
    /// </summary>
    public static string SampleRatio(JourneySampleRatio check)
    {
        var what = check.StepId.Length == 0 ? "holdout draw" : $"split step {check.StepId}";
        var p = check.PValue < 0.0001 ? "p < 0.0001" : "p = " + check.PValue.ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture);
        return $"{what}: {p}{(check.Mismatch ? " — the group sizes do not fit the weights: do not trust these results" : ", sizes fit the weights")}";
    }

    private static string Offers(IReadOnlyCollection<string> ids) => ids.Count == 0 ? "the best of the journey's offers" : string.Join(", ", ids);

    private static string Channels(IReadOnlyCollection<Channel> channels) => channels.Count == 0 ? "" : $" by {string.Join(", ", channels)}";

    private static string Next(string next) => $" → {Or(next)}";

    // An empty target completes the journey.
    private static string Or(string next) => next.Length == 0 ? "complete" : next;
}
