using System.CommandLine;
using System.Globalization;
using Google.Protobuf;
using Personalization.V1;
using Spectre.Console;

namespace Personalization.Cli.Commands;

/// <summary><c>personalize model push|list|activate|rollback|split|results|estimate|drift</c>: shipping models without an engineer or a restart.</summary>
public static class ModelLifecycleCommands
{
    private const int ChunkBytes = 256 * 1024;

    /// <summary>The lifecycle subcommands of <c>model</c>.</summary>
    public static IEnumerable<Command> Create() => [Push(), List(), Activate(), Rollback(), Split(), Results(), Estimate(), Drift()];

    private static Option<string> KindOption() => new("--kind") { Description = "churn, offer, or any kind a bundle declares (clv, purchase-propensity, ...).", Required = true };

    private static ModelKind Kind(string kind) => kind switch { "churn" => ModelKind.Churn, "offer" => ModelKind.Offer, _ => ModelKind.Unspecified };

    private static Command Push()
    {
        var file = new Argument<FileInfo>("bundle") { Description = "A model bundle (.zip) written by 'model train'." };
        var kind = KindOption();
        var push = new Command("push", "Upload a bundle (checked by hash); it is staged until activated.") { file, kind };
        push.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            var bytes = await File.ReadAllBytesAsync(path.FullName, cancellationToken);
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
            using var channel = GlobalOptions.Channel(parse);
            using var call = new ModelService.ModelServiceClient(channel).PushModel(cancellationToken: cancellationToken);
            await call.RequestStream.WriteAsync(new PushModelChunk { Header = new PushModelHeader { Kind = Kind(parse.GetValue(kind)!), KindName = parse.GetValue(kind)!, Sha256 = sha, SizeBytes = bytes.Length } }, cancellationToken);
            await GlobalOptions.Console(parse).Progress().AutoClear(false).StartAsync(async context =>
            {
                var task = context.AddTask($"Uploading {path.Name}", maxValue: bytes.Length);
                for (var at = 0; at < bytes.Length; at += ChunkBytes)
                {
                    var size = Math.Min(ChunkBytes, bytes.Length - at);
                    await call.RequestStream.WriteAsync(new PushModelChunk { Data = ByteString.CopyFrom(bytes, at, size) }, cancellationToken);
                    task.Increment(size);
                }
            });
            await call.RequestStream.CompleteAsync();
            var version = await call;
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{version.Version}: {Describe(version)}");
            return 0;
        });
        return push;
    }

    private static Command List()
    {
        var kind = new Option<string?>("--kind") { Description = "A kind (churn, offer, clv, ...); all when left out." };
        var list = new Command("list", "List model versions with their status and metrics.") { kind };
        list.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var kindValue = parse.GetValue(kind);
            var response = await new ModelService.ModelServiceClient(channel).ListModelsAsync(
                new ListModelsRequest { Kind = kindValue is null ? ModelKind.Unspecified : Kind(kindValue), KindName = kindValue ?? "" }, cancellationToken: cancellationToken);
            var table = new Table().AddColumns("kind", "version", "status", "auc", "pushed", "sha256");
            foreach (var v in response.Versions)
            {
                table.AddRow(Markup.Escape(v.KindName), Markup.Escape(v.Version), Name(v.Status),
                    v.Metrics.TryGetValue("auc", out var auc) ? auc.ToString("0.0000", CultureInfo.InvariantCulture) : "",
                    v.PushedAt?.ToDateTime().ToString("u", CultureInfo.InvariantCulture) ?? "", v.Sha256[..12]);
            }

            GlobalOptions.Console(parse).Write(table);
            return 0;
        });
        return list;
    }

    private static Command Activate()
    {
        var kind = KindOption();
        var version = new Argument<string>("version") { Description = "The version to activate." };
        var maxDrop = new Option<double>("--max-auc-drop") { Description = "Allow the AUC to fall at most this much below the active model's (0: the server's setting)." };
        var validateOn = new Option<string>("--validate-on") { Description = "Measure both models on the bundle's holdout.csv (bundle) or on the rows the service itself logged, as data export would give them (service).", DefaultValueFactory = _ => "bundle" };
        validateOn.AcceptOnlyFromAmong("bundle", "service");
        var since = new Option<DateTimeOffset?>("--since") { Description = "--validate-on service, offer rows: decisions made on or after this time (ISO 8601); default the decision log's retention." };
        var window = new Option<int>("--window-hours") { Description = "--validate-on service, offer rows: outcomes within this many hours of the decision count (default 168)." };
        var asOf = new Option<DateTimeOffset?>("--as-of") { Description = "--validate-on service, snapshot kinds: the features as of this time (ISO 8601); default now minus --label-days." };
        var labelDays = new Option<int>("--label-days") { Description = "--validate-on service, snapshot kinds: the labels count purchases in this many days after --as-of (default 91)." };
        var activate = new Command("activate", "Validate a version (measured by the service against the active model on the bundle's hold-out or on the service's own rows) and make it active on every silo (a failed validation keeps the active one).")
        {
            kind, version, maxDrop, validateOn, since, window, asOf, labelDays,
        };
        activate.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var request = new ActivateModelRequest
            {
                Kind = Kind(parse.GetValue(kind)!),
                KindName = parse.GetValue(kind)!,
                Version = parse.GetValue(version)!,
                MaxAucDrop = parse.GetValue(maxDrop),
                ValidationSource = parse.GetValue(validateOn) == "service" ? ValidationSource.ServiceData : ValidationSource.Bundle,
                Since = parse.GetValue(since) is { } from ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(from) : null,
                OutcomeWindowHours = parse.GetValue(window),
                AsOf = parse.GetValue(asOf) is { } at ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(at) : null,
                LabelWindowDays = parse.GetValue(labelDays),
            };
            var active = await new ModelService.ModelServiceClient(channel).ActivateModelAsync(request, cancellationToken: cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"{active.Version}: {Describe(active)}");
            await output.WriteLineAsync($"measured on {active.MeasuredOn}: {Measured(active)}");
            return 0;
        });
        return activate;
    }

    // The figures the service measured, by name: "auc 0.8312, calibration_error 0.0210, ...".
    private static string Measured(ModelVersion version) =>
        string.Join(", ", version.MeasuredMetrics.Where(m => m.Key is not ("rows" or "positives")).OrderBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Key} {m.Value:0.0000}")));

    private static Command Rollback()
    {
        var kind = KindOption();
        var rollback = new Command("rollback", "Make the version active before the current one active again.") { kind };
        rollback.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var active = await new ModelService.ModelServiceClient(channel).RollbackModelAsync(new RollbackModelRequest { Kind = Kind(parse.GetValue(kind)!), KindName = parse.GetValue(kind)! }, cancellationToken: cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{active.Version}: {Describe(active)}");
            return 0;
        });
        return rollback;
    }

    private static Command Split()
    {
        var kind = KindOption();
        var challenger = new Option<string>("--challenger") { Description = "The challenger version; leave out (with --share 0) to end the split.", DefaultValueFactory = _ => "" };
        var share = new Option<double>("--share") { Description = "Share of customers the challenger scores, 0..0.5 (stable per customer)." };
        var split = new Command("split", "Set a champion/challenger split against the active version.") { kind, challenger, share };
        split.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var client = new ModelService.ModelServiceClient(channel);
            var modelKind = Kind(parse.GetValue(kind)!);
            var active = (await client.ListModelsAsync(new ListModelsRequest { Kind = modelKind, KindName = parse.GetValue(kind)! }, cancellationToken: cancellationToken)).Versions.FirstOrDefault(v => v.Status == ModelStatus.Active);
            var result = await client.SetTrafficSplitAsync(new SetTrafficSplitRequest
            {
                Split = new TrafficSplit { Kind = modelKind, KindName = parse.GetValue(kind)!, ChampionVersion = active?.Version ?? "", ChallengerVersion = parse.GetValue(challenger)!, ChallengerShare = parse.GetValue(share) },
            }, cancellationToken: cancellationToken);
            await parse.InvocationConfiguration.Output.WriteLineAsync(result.ChallengerVersion.Length == 0
                ? $"{parse.GetValue(kind)}: {result.ChampionVersion} serves every customer."
                : string.Create(CultureInfo.InvariantCulture, $"{parse.GetValue(kind)}: {result.ChampionVersion} (champion) {(1 - result.ChallengerShare) * 100:0.#}%, {result.ChallengerVersion} (challenger) {result.ChallengerShare * 100:0.#}%."));
            return 0;
        });
        return split;
    }

    private static Command Results()
    {
        var kind = KindOption();
        var results = new Command("results", "Live results per arm: decisions, outcomes, conversions, acceptance.") { kind };
        results.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var response = await new ModelService.ModelServiceClient(channel).GetModelResultsAsync(new GetModelResultsRequest { Kind = Kind(parse.GetValue(kind)!), KindName = parse.GetValue(kind)! }, cancellationToken: cancellationToken);
            var table = new Table().AddColumns("arm", "version", "decisions", "outcomes", "conversions", "acceptance", "95% interval");
            foreach (var arm in response.Arms)
            {
                table.AddRow(arm.Arm, Markup.Escape(arm.Version), Count(arm.Decisions), Count(arm.Outcomes), Count(arm.Conversions), Formats.Percent(arm.AcceptanceRate, 2),
                    $"{Formats.Percent(arm.AcceptanceLow, 2)} – {Formats.Percent(arm.AcceptanceHigh, 2)}");
            }

            GlobalOptions.Console(parse).Write(table);
            return 0;
        });
        return results;
    }

    private static Command Estimate()
    {
        var version = new Argument<string>("version") { Description = "A pushed offer model version." };
        var since = new Option<DateTimeOffset?>("--since") { Description = "Logged decisions made on or after this time (ISO 8601); default the last 7 days." };
        var window = new Option<int>("--window-hours") { Description = "Outcomes within this many hours of a decision count (default 168)." };
        var estimate = new Command("estimate", "Estimate offline, on logged decisions, the acceptance rate a staged offer model would earn (IPS and doubly robust, 95% intervals).") { version, since, window };
        estimate.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var result = await new ModelService.ModelServiceClient(channel).GetOfflineEstimateAsync(new GetOfflineEstimateRequest
            {
                Version = parse.GetValue(version)!,
                Since = parse.GetValue(since) is { } from ? Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(from) : null,
                OutcomeWindowHours = parse.GetValue(window),
            }, cancellationToken: cancellationToken);
            var table = new Table().AddColumns("estimator", "acceptance", "95% interval");
            foreach (var (name, rate) in new[] { ("logged policy (observed)", result.Logged), ("inverse propensity", result.Ips), ("doubly robust", result.DoublyRobust) })
            {
                table.AddRow(name, Formats.Percent(rate.Rate, 2), $"{Formats.Percent(rate.Low, 2)} – {Formats.Percent(rate.High, 2)}");
            }

            GlobalOptions.Console(parse).Write(table);
            await parse.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{result.Version}: {Count(result.Examples)} logged slates, {Count(result.Matched)} where it agrees with the logged choice, effective sample size {result.EffectiveSize:0}."));
            return 0;
        });
        return estimate;
    }

    private static Command Drift()
    {
        var kind = KindOption();
        var version = new Argument<string>("version") { Description = "The model version." };
        var days = new Option<int>("--days") { Description = "Days of logged decisions to compare with the hold-out (default 7)." };
        var drift = new Command("drift", "Per feature, the population stability index of live decision-time values against the model's hold-out.") { kind, version, days };
        drift.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var model = await new ModelService.ModelServiceClient(channel).GetModelAsync(
                new GetModelRequest { Kind = Kind(parse.GetValue(kind)!), KindName = parse.GetValue(kind)!, Version = parse.GetValue(version)!, DriftDays = parse.GetValue(days) }, cancellationToken: cancellationToken);
            var table = new Table().AddColumns("feature", "PSI", "reading", "live rows", "hold-out rows");
            foreach (var d in model.Drift)
            {
                table.AddRow(Markup.Escape(d.Feature), d.Psi.ToString("0.000", CultureInfo.InvariantCulture), d.Warning ? $"[red]{d.Reading}[/]" : d.Reading, Count(d.LiveRows), Count(d.ReferenceRows));
            }

            GlobalOptions.Console(parse).Write(table);
            return 0;
        });
        return drift;
    }

    private static string Describe(ModelVersion version) =>
        version.Status == ModelStatus.Rejected ? $"rejected: {version.RejectionReason}" : $"{Name(version.Status)} ({version.KindName}, {version.Format}, sha256 {version.Sha256[..12]})";

    private static string Name(System.Enum value) => value.ToString().ToLowerInvariant();

    private static string Count(long value) => Formats.Count(value);
}
