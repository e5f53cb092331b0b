using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Personalization.V1;

namespace Personalization.Cli.Commands;

/// <summary><c>personalize data export --kind churn|offer|clv|purchase-propensity|KIND --out FILE</c>: the rows the models are trained on, as CSV.</summary>
public static class DataCommand
{
    public static Command Create()
    {
        var kind = new Option<string>("--kind") { Description = "churn (a row per customer), offer (a row per decision and offer, with its outcome), or another kind such as clv or purchase-propensity (a row per customer at --as-of, labelled future_revenue and purchased from the purchases after it).", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "The CSV file to write.", Required = true };
        var since = new Option<DateTimeOffset?>("--since") { Description = "Only customers seen / decisions made on or after this time (ISO 8601)." };
        var features = new Option<string[]>("--features") { Description = "Feature columns by name (name, or name:string for text); default the active model's. Offer rows take them as logged at decision time.", AllowMultipleArgumentsPerToken = true };
        var window = new Option<int>("--window-hours") { Description = "Offer rows: outcomes within this many hours of the decision count (default 168)." };
        var asOf = new Option<DateTimeOffset?>("--as-of") { Description = "Snapshot rows (kinds other than churn and offer): the features as of this time (ISO 8601); default now minus --label-days." };
        var labelDays = new Option<int>("--label-days") { Description = "Snapshot rows: the labels count purchases in this many days after --as-of (default 91)." };
        var export = new Command("export", "Export training rows (churn: customers now; offer: decisions with the features they saw, joined to their outcomes; other kinds: customers replayed from the event export as of --as-of, labelled by what they bought after it) as CSV with a header.") { kind, output, since, features, window, asOf, labelDays };
        export.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var kindName = parse.GetValue(kind)!;
            var request = new ExportTrainingDataRequest
            {
                Kind = kindName switch { "churn" => ModelKind.Churn, "offer" => ModelKind.Offer, _ => ModelKind.Unspecified },
                KindName = kindName is "churn" or "offer" ? "" : kindName,
                Since = parse.GetValue(since) is { } from ? Timestamp.FromDateTimeOffset(from) : null,
                OutcomeWindowHours = parse.GetValue(window),
                AsOf = parse.GetValue(asOf) is { } at ? Timestamp.FromDateTimeOffset(at) : null,
                LabelWindowDays = parse.GetValue(labelDays),
            };
            request.Features.AddRange((parse.GetValue(features) ?? []).SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
            using var call = new ModelService.ModelServiceClient(channel).ExportTrainingData(request, cancellationToken: cancellationToken);
            var path = parse.GetValue(output)!;
            long rows = -1;
            await using (var file = File.Create(path.FullName))
            {
                while (await call.ResponseStream.MoveNext(cancellationToken))
                {
                    var chunk = call.ResponseStream.Current.Csv;
                    rows += chunk.Span.Count((byte)'\n');
                    await file.WriteAsync(chunk.Memory, cancellationToken);
                }
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync($"{Math.Max(0, rows)} rows written to {path.FullName}");
            return 0;
        });
        return new Command("data", "Data for data scientists.") { export };
    }
}
