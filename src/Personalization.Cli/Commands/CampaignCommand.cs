using System.CommandLine;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using TraitParsing = Personalization.Decisioning.Customers.TraitParsing;
using Personalization.V1;
using Spectre.Console;

namespace Personalization.Cli.Commands;

/// <summary><c>personalize campaign create|start|pause|resume|cancel|watch|get|list</c>: campaigns for campaign managers.</summary>
public static class CampaignCommand
{
    private static readonly Dictionary<string, Channel> Channels = System.Enum.GetValues<Channel>().Where(c => c != Channel.Unspecified)
        .ToDictionary(c => TraitParsing.SnakeCase(c.ToString()), c => c, StringComparer.Ordinal);

    public static Command Create()
    {
        var command = new Command("campaign", "Create, run and follow campaigns.");
        command.Subcommands.Add(CreateCommand());
        command.Subcommands.Add(StartCommand());
        command.Subcommands.Add(Step("pause", "Pause a running or scheduled campaign; progress is kept.", (c, id, t) => c.PauseCampaignAsync(new PauseCampaignRequest { CampaignId = id }, cancellationToken: t)));
        command.Subcommands.Add(Step("resume", "Resume a paused campaign where it stopped.", (c, id, t) => c.ResumeCampaignAsync(new ResumeCampaignRequest { CampaignId = id }, cancellationToken: t)));
        command.Subcommands.Add(Step("cancel", "Cancel a campaign for good; deliveries already queued still go.", (c, id, t) => c.CancelCampaignAsync(new CancelCampaignRequest { CampaignId = id }, cancellationToken: t)));
        command.Subcommands.Add(Step("get", "Show a campaign and its results.", (c, id, t) => c.GetCampaignAsync(new GetCampaignRequest { CampaignId = id }, cancellationToken: t)));
        command.Subcommands.Add(WatchCommand());
        command.Subcommands.Add(ListCommand());
        return command;
    }

    private static Command CreateCommand()
    {
        var name = new Option<string>("--name") { Description = "Display name.", Required = true };
        var segment = new Option<string>("--segment") { Description = "The segment to target.", Required = true };
        var offers = new Option<string[]>("--offer") { Description = "A candidate offer id. Repeatable.", Required = true };
        var channels = new Option<string[]>("--channel") { Description = $"An allowed channel ({string.Join(", ", Channels.Keys)}). Repeatable; none means each offer's own." };
        var window = new Option<string>("--window") { Description = "Local send hours START-END, e.g. 9-21 (may wrap, e.g. 22-2).", DefaultValueFactory = _ => "0-24" };
        var holdout = new Option<double>("--holdout") { Description = "Share held out as a control group, 0..0.5.", DefaultValueFactory = _ => 0.05 };
        var maxPer = new Option<int>("--max-per-customer") { Description = "Most deliveries one member gets from this campaign.", DefaultValueFactory = _ => 1 };
        var ignoreCaps = new Option<bool>("--ignore-global-caps") { Description = "Do not apply the customers' daily and weekly caps." };
        var priority = new Option<int>("--priority") { Description = "Higher runs first when campaigns compete." };
        var startAt = new Option<DateTimeOffset?>("--start-at") { Description = "When to start (ISO 8601); unset means when started." };
        var endAt = new Option<DateTimeOffset?>("--end-at") { Description = "No sends after this (ISO 8601)." };
        var id = new Option<string>("--id") { Description = "The campaign id; generated when left out.", DefaultValueFactory = _ => "" };
        var variants = new Option<string[]>("--variant")
        {
            Description = "An experiment variant: NAME;weight=W[;offer=ID]...[;channel=C]...[;window=9-12][;content=TEXT]. Repeatable; weights sum to 1.",
        };
        var autoWinner = new Option<long>("--auto-winner") { Description = "Stop the experiment and send the rest the winner once every variant reached this many members and the winner is clear; 0 is off." };
        var testShare = new Option<double>("--test-share")
        {
            Description = "With --auto-winner: send the variants to this share of the members first (0.05..0.5) and hold the rest for the winner; 0 is no hold.",
        };
        var decideBy = new Option<TimeSpan?>("--decide-by")
        {
            Description = "With --test-share: how long after the start the held members wait for a winner before they get the first variant ([d.]hh:mm:ss, e.g. 3.00:00:00).",
        };
        var create = new Command("create", "Create a campaign in DRAFT.") { name, segment, offers, channels, window, holdout, maxPer, ignoreCaps, priority, startAt, endAt, id, variants, autoWinner, testShare, decideBy };
        create.SetAction(async (parse, cancellationToken) =>
        {
            var hours = parse.GetValue(window)!.Split('-');
            if (hours.Length != 2 || !int.TryParse(hours[0], CultureInfo.InvariantCulture, out var from) || !int.TryParse(hours[1], CultureInfo.InvariantCulture, out var to))
            {
                throw new ArgumentException($"--window: '{parse.GetValue(window)}' is not START-END, e.g. 9-21.");
            }

            var campaign = new Campaign
            {
                CampaignId = parse.GetValue(id)!,
                Name = parse.GetValue(name)!,
                Segment = parse.GetValue(segment)!,
                SendWindow = new SendWindow { StartHour = from, EndHour = to },
                Frequency = new FrequencyPolicy { MaxPerCustomer = parse.GetValue(maxPer), RespectGlobalCaps = !parse.GetValue(ignoreCaps) },
                HoldoutShare = parse.GetValue(holdout),
                Priority = parse.GetValue(priority),
                StartAt = parse.GetValue(startAt) is { } start ? Timestamp.FromDateTimeOffset(start) : null,
                EndAt = parse.GetValue(endAt) is { } end ? Timestamp.FromDateTimeOffset(end) : null,
            };
            campaign.OfferIds.AddRange(parse.GetValue(offers)!);
            campaign.Variants.AddRange((parse.GetValue(variants) ?? []).Select(ParseVariant));
            var (minimum, share, by) = (parse.GetValue(autoWinner), parse.GetValue(testShare), parse.GetValue(decideBy));
            // Sent whenever any of its settings is given, so the service names a test share without an auto-winner.
            campaign.AutoWinner = minimum is 0 && share is 0 && by is null ? null
                : new AutoWinner { MinExposure = minimum, TestShare = share, DecideBy = by is { } wait ? Duration.FromTimeSpan(wait) : null };
            campaign.Channels.AddRange((parse.GetValue(channels) ?? []).Select(c => Channels.TryGetValue(c, out var channel)
                ? channel
                : throw new ArgumentException($"--channel: unknown channel '{c}' (one of {string.Join(", ", Channels.Keys)}).")));
            using var grpc = GlobalOptions.Channel(parse);
            var created = await new CampaignService.CampaignServiceClient(grpc).CreateCampaignAsync(new CreateCampaignRequest { Campaign = campaign }, cancellationToken: cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{created.CampaignId}: {Describe(created)}");
            return 0;
        });
        return create;
    }

    // NAME;weight=W;offer=ID;channel=C;window=9-12;content=TEXT (content last: it may hold ';' only there).
    private static CampaignVariant ParseVariant(string text)
    {
        var parts = text.Split(';');
        var variant = new CampaignVariant { Name = parts[0].Trim() };
        for (var i = 1; i < parts.Length; i++)
        {
            var (key, value) = parts[i].IndexOf('=', StringComparison.Ordinal) is var at and > 0 ? (parts[i][..at].Trim(), parts[i][(at + 1)..]) : (parts[i].Trim(), "");
            switch (key)
            {
                case "weight" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var weight):
                    variant.Weight = weight;
                    break;
                case "offer":
                    variant.OfferIds.Add(value.Trim());
                    break;
                case "channel":
                    variant.Channels.Add(Channels.TryGetValue(value.Trim(), out var channel) ? channel : throw new ArgumentException($"--variant: unknown channel '{value}' (one of {string.Join(", ", Channels.Keys)})."));
                    break;
                case "window" when value.Split('-') is [var from, var to] && int.TryParse(from, CultureInfo.InvariantCulture, out var start) && int.TryParse(to, CultureInfo.InvariantCulture, out var end):
                    variant.SendWindow = new SendWindow { StartHour = start, EndHour = end };
                    break;
                case "content":
                    variant.Content = string.Join(';', parts[i..])[(key.Length + 1)..];
                    return variant;
                default:
                    throw new ArgumentException($"--variant: '{parts[i]}' is not weight=W, offer=ID, channel=C, window=START-END or content=TEXT.");
            }
        }

        return variant;
    }

    private static Command StartCommand()
    {
        var id = new Argument<string>("campaign-id") { Description = "The campaign." };
        var at = new Option<DateTimeOffset?>("--at") { Description = "Schedule for this time (ISO 8601) instead of now." };
        var start = new Command("start", "Start a draft campaign now, or schedule it.") { id, at };
        start.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var request = new StartCampaignRequest { CampaignId = parse.GetValue(id)!, StartAt = parse.GetValue(at) is { } when ? Timestamp.FromDateTimeOffset(when) : null };
            var campaign = await new CampaignService.CampaignServiceClient(channel).StartCampaignAsync(request, cancellationToken: cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{campaign.CampaignId}: {Describe(campaign)}");
            return 0;
        });
        return start;
    }

    private static Command Step(string name, string description, Func<CampaignService.CampaignServiceClient, string, CancellationToken, AsyncUnaryCall<Campaign>> call)
    {
        var id = new Argument<string>("campaign-id") { Description = "The campaign." };
        var command = new Command(name, description) { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var campaign = await call(new CampaignService.CampaignServiceClient(channel), parse.GetValue(id)!, cancellationToken);
            await WriteResultsAsync(parse.InvocationConfiguration.Output, campaign.Progress, $"{campaign.CampaignId}: {Describe(campaign)}");
            return 0;
        });
        return command;
    }

    private static Command WatchCommand()
    {
        var id = new Argument<string>("campaign-id") { Description = "The campaign." };
        var watch = new Command("watch", "Follow a campaign's fan-out with live progress until it completes (Ctrl+C stops watching, not the campaign).") { id };
        watch.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            using var call = new CampaignService.CampaignServiceClient(channel).WatchCampaign(new WatchCampaignRequest { CampaignId = parse.GetValue(id)!, IntervalMs = 500 }, cancellationToken: cancellationToken);
            CampaignProgress? last = null;
            await GlobalOptions.Console(parse).Progress().AutoClear(false).StartAsync(async context =>
            {
                var shards = context.AddTask("segment shards", maxValue: 64);
                var decided = context.AddTask("members decided", maxValue: 1);
                while (await call.ResponseStream.MoveNext(cancellationToken))
                {
                    last = call.ResponseStream.Current;
                    shards.MaxValue = Math.Max(1, last.ShardsTotal);
                    shards.Value = last.ShardsDone;
                    decided.MaxValue = Math.Max(1, last.Targeted);
                    decided.Value = last.Decided;
                    decided.Description = $"{Formats.Count(last.Decided)} decided, {Formats.Count(last.Channels.Sum(c => c.Queued))} queued";
                }
            });

            if (last is not null)
            {
                await WriteResultsAsync(parse.InvocationConfiguration.Output, last, $"{last.CampaignId}: {Name(last.State)}");
            }

            return 0;
        });
        return watch;
    }

    private static Command ListCommand()
    {
        var state = new Option<string?>("--state") { Description = "Only campaigns in this state (draft, scheduled, running, paused, completed, cancelled)." };
        var list = new Command("list", "List campaigns.") { state };
        list.SetAction(async (parse, cancellationToken) =>
        {
            var filter = parse.GetValue(state) is { } s
                ? System.Enum.GetValues<CampaignState>().FirstOrDefault(v => Name(v) == s) is var v && v != CampaignState.Unspecified ? v : throw new ArgumentException($"--state: unknown state '{s}'.")
                : CampaignState.Unspecified;
            using var channel = GlobalOptions.Channel(parse);
            var client = new CampaignService.CampaignServiceClient(channel);
            var table = new Table().AddColumns("campaign", "name", "segment", "state", "decided", "queued");
            var token = "";
            do
            {
                var page = await client.ListCampaignsAsync(new ListCampaignsRequest { State = filter, Page = new PageRequest { PageSize = 200, PageToken = token } }, cancellationToken: cancellationToken);
                foreach (var c in page.Campaigns)
                {
                    table.AddRow(Markup.Escape(c.CampaignId), Markup.Escape(c.Name), Markup.Escape(c.Segment), Name(c.State), Count(c.Progress.Decided), Count(c.Progress.Channels.Sum(x => x.Queued)));
                }

                token = page.Page.NextPageToken;
            }
            while (token.Length > 0);

            GlobalOptions.Console(parse).Write(table);
            return 0;
        });
        return list;
    }

    private static async Task WriteResultsAsync(TextWriter output, CampaignProgress progress, string heading)
    {
        await output.WriteLineAsync(heading);
        await output.WriteLineAsync($"  targeted {Count(progress.Targeted)}, decided {Count(progress.Decided)}, shards {progress.ShardsDone}/{progress.ShardsTotal}");
        foreach (var c in progress.Channels)
        {
            await output.WriteLineAsync($"  {Key(c.Channel),-12} queued {Count(c.Queued)}, delivered {Count(c.Delivered)}, opened {Count(c.Opened)}, clicked {Count(c.Clicked)}, converted {Count(c.Converted)}");
        }

        foreach (var s in progress.Suppressed)
        {
            await output.WriteLineAsync($"  suppressed: {Key(s.Reason),-18} {Count(s.Count)}");
        }

        foreach (var d in progress.Dropped)
        {
            await output.WriteLineAsync($"  dropped at send: {d.Reason.ToLowerInvariant(),-15} {Count(d.Count)}");
        }

        if (progress.IntentionToTreat is { } itt)
        {
            await output.WriteLineAsync($"  conversion (intention to treat): {Compared(itt, 2)}, lift {Formats.Percent(itt.RelativeLift)}");
        }

        if (progress.RevenueIntentionToTreat is { } revenue)
        {
            await output.WriteLineAsync($"  revenue per member (intention to treat): {Compared(revenue, null)}");
        }

        if (progress.DeliveredOnly is { } delivered)
        {
            await output.WriteLineAsync($"  delivered only (not randomised, reference): {Compared(delivered, 2)}");
        }

        foreach (var arm in progress.Arms.Where(a => a.Name is "after_winner" or "global_control"))
        {
            await output.WriteLineAsync($"  {arm.Name}: {Count(arm.Members)} members, {Count(arm.Conversions)} converted ({Formats.Percent(arm.ConversionRate, 2)})");
        }

        if (progress.Experiment is not { } experiment)
        {
            return;
        }

        await output.WriteLineAsync($"  experiment: sample ratio p = {experiment.SampleRatioP.ToString("0.####", CultureInfo.InvariantCulture)}{(experiment.SampleRatioMismatch ? " MISMATCH: do not trust these results" : " (ok)")}");
        foreach (var v in experiment.Variants)
        {
            await output.WriteLineAsync($"    {v.Name,-16} {Count(v.Members)} members, {Count(v.Delivered)} delivered, {Count(v.Conversions)} converted ({Formats.Percent(v.ConversionRate, 2)}), revenue/recipient {Money(v.RevenuePerRecipient)}");
        }

        foreach (var c in experiment.Comparisons)
        {
            await output.WriteLineAsync($"    {c.Treatment} vs {c.Control}, {c.Metric.Replace('_', ' ')}: {Compared(c, c.Metric == "conversion_rate" ? 2 : null)}");
        }

        await output.WriteLineAsync($"    winner: {(experiment.Winner.Length > 0 ? experiment.Winner : "none")}: {experiment.Verdict}");
        if (progress.Hold is { } hold)
        {
            await output.WriteLineAsync($"  {HoldLine(hold)}");
        }
    }

    // "hold at test share 20%: waiting; test members 1,204, held 4,790, released 0; decide by 2026-12-01 09:00Z".
    private static string HoldLine(HoldProgress hold)
    {
        var phase = Key(hold.Phase).Replace("hold_phase_", "", StringComparison.Ordinal).Replace('_', ' ');
        var release = hold.ReleaseVariant.Length == 0 ? "" : $"; sent {hold.ReleaseVariant} ({(hold.ReleaseReason == "deadline" ? "no winner by the deadline: the first variant" : "the winner")}) from {hold.ReleasedAt.ToDateTime():yyyy-MM-dd HH:mm}Z";
        var deadline = hold.DecideBy is { } by ? $"; decide by {by.ToDateTime():yyyy-MM-dd HH:mm:ss}Z" : "";
        return $"hold at test share {Formats.Percent(hold.TestShare)}: {phase}; test members {Count(hold.TestMembers)}, held {Count(hold.Held)}, released {Count(hold.Released)}{release}{deadline}";
    }

    // "4.10% (n 1,204) vs 3.20% (n 310): +0.90% [-1.20%, +3.00%] 95% always-valid; CUPED +0.85% [-1.10%, +2.80%], variance -8.0%"; decimals null prints money.
    private static string Compared(Comparison c, int? decimals)
    {
        string Value(double v) => decimals is { } d ? Formats.Percent(v, d) : Money(v);
        string Signed(double v) => double.IsInfinity(v) ? (v > 0 ? "+inf" : "-inf") : (v >= 0 ? "+" : "") + Value(v);
        var cuped = c.Randomised ? $"; CUPED {Signed(c.CupedDifference)} [{Signed(c.CupedLow)}, {Signed(c.CupedHigh)}], variance -{Formats.Percent(c.CupedVarianceReduction)}" : "";
        return $"{Value(c.TreatmentValue)} (n {Count(c.TreatmentMembers)}) vs {Value(c.ControlValue)} (n {Count(c.ControlMembers)}): {Signed(c.Difference)} [{Signed(c.Low)}, {Signed(c.High)}] 95% always-valid{cuped}";
    }

    private static string Money(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string Describe(Campaign campaign) => $"{Name(campaign.State)} ({campaign.Name}, segment {campaign.Segment})";

    private static string Name(CampaignState state) => state.ToString().ToLowerInvariant();

    private static string Key(System.Enum value) => TraitParsing.SnakeCase(value.ToString());

    private static string Count(long value) => Formats.Count(value);
}
