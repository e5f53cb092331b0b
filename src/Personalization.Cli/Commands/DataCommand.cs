using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Personalization.V1;

namespace Personalization.Cli.Commands;

/// <summary><c>personalize data export --kind churn|offer --out FILE</c>: the rows the models are trained on, as CSV.</summary>
public static class DataCommand
{
    public static Command Create()
    {
        var kind = new Option<string>("--kind") { Description = "churn (a row per customer) or offer (a row per decision and offer, with its outcome).", Required = true }.AcceptOnlyFromAmong("churn", "offer");
        var output = new Option<FileInfo>("--out") { Description = "The CSV file to write.", Required = true };
        var since = new Option<DateTimeOffset?>("--since") { Description = "Only customers seen / decisions made on or after this time (ISO 8601)." };
        var export = new Command("export", "Export training rows with the active model's features by name, and the label, as CSV with a header.") { kind, output, since };
        export.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var request = new ExportTrainingDataRequest
            {
                Kind = parse.GetValue(kind) == "churn" ? ModelKind.Churn : ModelKind.Offer,
                Since = parse.GetValue(since) is { } from ? Timestamp.FromDateTimeOffset(from) : null,
            };
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
