using System.CommandLine;
using System.Globalization;
using System.Text;
using Grpc.Core;
using Personalization.V1;
using Personalization.V1.Conversions;

namespace Personalization.Cli.Commands;

/// <summary><c>personalize journey create|update|validate FILE</c>, <c>get|activate|pause|resume|archive|watch ID</c>, <c>list</c>: journeys from JSON or YAML definitions.</summary>
public static class JourneyCommand
{
    public static Command Create()
    {
        var command = new Command("journey", "Define journeys from JSON or YAML files, move them through their lifecycle and read their results.");
        command.Subcommands.Add(FromFile("create", "Create a journey (version 1, DRAFT) from a JSON or YAML definition.", async (c, j, t) => await c.CreateJourneyAsync(new CreateJourneyRequest { Journey = j }, cancellationToken: t)));
        command.Subcommands.Add(FromFile("update", "Save a JSON or YAML definition as the journey's next version; customers in flight finish on theirs.", async (c, j, t) => await c.UpdateJourneyAsync(new UpdateJourneyRequest { Journey = j }, cancellationToken: t)));
        command.Subcommands.Add(ValidateCommand());
        command.Subcommands.Add(Step("get", "Show a journey and its results per step.", (c, id, t) => c.GetJourneyAsync(new GetJourneyRequest { JourneyId = id }, cancellationToken: t)));
        command.Subcommands.Add(Step("activate", "Start entering customers.", (c, id, t) => c.ActivateJourneyAsync(new JourneyIdRequest { JourneyId = id }, cancellationToken: t)));
        command.Subcommands.Add(Step("pause", "Stop entries and hold enrollments at their step.", (c, id, t) => c.PauseJourneyAsync(new JourneyIdRequest { JourneyId = id }, cancellationToken: t)));
        command.Subcommands.Add(Step("resume", "Enter and step again.", (c, id, t) => c.ResumeJourneyAsync(new JourneyIdRequest { JourneyId = id }, cancellationToken: t)));
        command.Subcommands.Add(Step("archive", "End the journey for good.", (c, id, t) => c.ArchiveJourneyAsync(new JourneyIdRequest { JourneyId = id }, cancellationToken: t)));
        command.Subcommands.Add(ListCommand());
        command.Subcommands.Add(WatchCommand());
        return command;
    }

    /// <summary>A journey definition from a file in the contract's JSON form, or the same in YAML (.yaml, .yml; examples/journeys/).</summary>
    public static Journey Read(string path)
    {
        try
        {
            return DefinitionFiles.Parse<Journey>(File.ReadAllText(path), DefinitionFiles.IsYaml(path));
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"{path}: not a journey definition: {ex.Message}");
        }
    }

    private static Command FromFile(string name, string description, Func<JourneyService.JourneyServiceClient, Journey, CancellationToken, Task<Journey>> call)
    {
        var file = new Argument<string>("file") { Description = "The definition, JSON or YAML (.yaml, .yml)." };
        var command = new Command(name, description) { file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var journey = Read(parse.GetValue(file)!);
            using var channel = GlobalOptions.Channel(parse);
            var saved = await call(new JourneyService.JourneyServiceClient(channel), journey, cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync(Describe(saved));
            return 0;
        });
        return command;
    }

    private static Command ValidateCommand()
    {
        var file = new Argument<string>("file") { Description = "The definition, JSON or YAML (.yaml, .yml)." };
        var command = new Command("validate", "Check a JSON or YAML definition without saving it; exit code 1 when it has problems.") { file };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var journey = Read(parse.GetValue(file)!);
            using var channel = GlobalOptions.Channel(parse);
            var result = await new JourneyService.JourneyServiceClient(channel).ValidateJourneyAsync(new ValidateJourneyRequest { Journey = journey }, cancellationToken: cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync(result.Valid ? $"{journey.JourneyId}: valid" : $"{journey.JourneyId}: {result.Errors.Count} problems");
            foreach (var error in result.Errors)
            {
                await output.WriteLineAsync($"  {error}");
            }

            return result.Valid ? 0 : 1;
        });
        return command;
    }

    private static Command Step(string name, string description, Func<JourneyService.JourneyServiceClient, string, CancellationToken, AsyncUnaryCall<Journey>> call)
    {
        var id = new Argument<string>("journey-id") { Description = "The journey." };
        var command = new Command(name, description) { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var journey = await call(new JourneyService.JourneyServiceClient(channel), parse.GetValue(id)!, cancellationToken);
            await parse.InvocationConfiguration.Output.WriteAsync(Describe(journey) + Environment.NewLine + Results(journey.Stats));
            return 0;
        });
        return command;
    }

    private static Command ListCommand()
    {
        var command = new Command("list", "List journeys with their state and version.");
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var client = new JourneyService.JourneyServiceClient(channel);
            var page = new PageRequest { PageSize = 1000 };
            do
            {
                var response = await client.ListJourneysAsync(new ListJourneysRequest { Page = page }, cancellationToken: cancellationToken);
                foreach (var journey in response.Journeys)
                {
                    await parse.InvocationConfiguration.Output.WriteLineAsync(Describe(journey));
                }

                page = new PageRequest { PageSize = 1000, PageToken = response.Page.NextPageToken };
            }
            while (page.PageToken.Length > 0);
            return 0;
        });
        return command;
    }

    // An interval end: open while a group is too small to have one.
    private static string Bound(double value) => double.IsInfinity(value) ? (value > 0 ? "+inf" : "-inf") : value.ToString("+0.0%;-0.0%", CultureInfo.InvariantCulture);

    private static string MoneyBound(double value) => double.IsInfinity(value) ? (value > 0 ? "+inf" : "-inf") : value.ToString("+0.00;-0.00", CultureInfo.InvariantCulture);

    private static Command WatchCommand()
    {
        var id = new Argument<string>("journey-id") { Description = "The journey." };
        var command = new Command("watch", "Follow a journey's live results (Ctrl+C stops watching, not the journey).") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            using var call = new JourneyService.JourneyServiceClient(channel).WatchJourney(new WatchJourneyRequest { JourneyId = parse.GetValue(id)! }, cancellationToken: cancellationToken);
            try
            {
                await foreach (var journey in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    await parse.InvocationConfiguration.Output.WriteAsync(Describe(journey) + Environment.NewLine + Results(journey.Stats));
                }
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled)
            {
                // Ctrl+C: the journey goes on.
            }

            return 0;
        });
        return command;
    }

    private static string Describe(Journey journey) =>
        $"{journey.JourneyId}: {journey.State.ToString().ToLowerInvariant()} v{journey.Version} ({journey.Name})";

    /// <summary>The results as lines: totals, then each step's reached, waiting, sent and suppressed counts.</summary>
    public static string Results(JourneyStats? stats)
    {
        if (stats is null)
        {
            return "";
        }

        var text = new StringBuilder();
        text.AppendLine($"  entered {Formats.Count(stats.Entered)}, active {Formats.Count(stats.Active)}, completed {Formats.Count(stats.Completed)}");
        if (stats.Ended.Count > 0)
        {
            text.AppendLine($"  ended: {string.Join(", ", stats.Ended.Select(r => $"{r.Reason.ToLowerInvariant()} {Formats.Count(r.Count)}"))}");
        }

        if (stats.NotEntered.Count > 0)
        {
            text.AppendLine($"  not entered: {string.Join(", ", stats.NotEntered.Select(r => $"{r.Reason.ToLowerInvariant()} {Formats.Count(r.Count)}"))}");
        }

        foreach (var step in stats.Steps)
        {
            var sent = step.Sent.Count == 0 ? "" : $", sent {string.Join(" ", step.Sent.Select(r => $"{r.Reason.ToLowerInvariant()} {Formats.Count(r.Count)}"))}";
            var suppressed = step.Suppressed.Count == 0 ? "" : $", suppressed {string.Join(" ", step.Suppressed.Select(r => $"{r.Reason.ToLowerInvariant()} {Formats.Count(r.Count)}"))}";
            var dropped = step.Dropped.Count == 0 ? "" : $", dropped at send {string.Join(" ", step.Dropped.Select(r => $"{r.Reason.ToLowerInvariant()} {Formats.Count(r.Count)}"))}";
            text.AppendLine($"  {step.StepId}: reached {Formats.Count(step.Reached)}, at it now {Formats.Count(step.Current)}{sent}{suppressed}{dropped}");
        }

        if (stats.Goal is { } goal)
        {
            foreach (var group in goal.Groups)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  goal {group.Name}: {Formats.Count(group.Conversions)} of {Formats.Count(group.Members)} converted ({group.ConversionRate:P1}), revenue/recipient {group.RevenuePerRecipient:0.00}");
            }

            foreach (var c in goal.Comparisons)
            {
                var line = c.Metric == "revenue_per_recipient"
                    ? string.Create(CultureInfo.InvariantCulture, $"  {c.Treatment} vs {c.Control} revenue/recipient: {c.Difference:+0.00;-0.00} [{MoneyBound(c.Low)}, {MoneyBound(c.High)}] (n = {Formats.Count(c.TreatmentMembers)} / {Formats.Count(c.ControlMembers)})")
                    : string.Create(CultureInfo.InvariantCulture, $"  {c.Treatment} vs {c.Control}: {c.Difference:+0.0%;-0.0%} [{Bound(c.Low)}, {Bound(c.High)}] (n = {Formats.Count(c.TreatmentMembers)} / {Formats.Count(c.ControlMembers)})");
                text.AppendLine(line);
            }

            foreach (var ratio in goal.SampleRatios.Append(goal.HoldoutSampleRatio).OfType<JourneySampleRatio>())
            {
                var what = ratio.StepId.Length == 0 ? "holdout draw" : $"split {ratio.StepId}";
                text.AppendLine(CultureInfo.InvariantCulture, $"  {what}: sample ratio p = {ratio.PValue.ToString("0.####", CultureInfo.InvariantCulture)}{(ratio.Mismatch ? " MISMATCH: do not trust these results" : " (ok)")}");
            }
        }

        return text.ToString();
    }
}
