using System.CommandLine;
using Personalization.Cli.Import;
using Personalization.V1;
using Spectre.Console;

namespace Personalization.Cli.Commands;

/// <summary><c>personalize import customers FILE</c>: customers and their traits from CSV or JSON lines.</summary>
public static class ImportCommand
{
    private const int ReasonsShown = 10;

    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A CSV file with a header, or JSON lines (.json, .jsonl)." };
        var idColumn = new Option<string?>("--id-column") { Description = "The column with the customer id (default: customerID, customer_id or id)." };
        var missing = new Option<string[]>("--missing") { Description = "COLUMN=VALUE meaning unknown, left out (e.g. age=118). Repeatable.", AllowMultipleArgumentsPerToken = false };
        var dates = new Option<string[]>("--date") { Description = "COLUMN=FORMAT of a date column (e.g. became_member_on=yyyyMMdd). Repeatable." };
        var customers = new Command("customers", "Import customers with their traits; one TRAITS_SET event per row, safe to repeat.") { file, idColumn, missing, dates };
        customers.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"personalize: {path.FullName} does not exist.");
                return 2;
            }

            var settings = new ImportSettings
            {
                IdColumn = parse.GetValue(idColumn),
                Missing = Pairs(parse.GetValue(missing)),
                Dates = Pairs(parse.GetValue(dates)),
            };
            using var channel = GlobalOptions.Channel(parse);
            var importer = new CustomerImporter(new EventService.EventServiceClient(channel), settings);
            var console = GlobalOptions.Console(parse);
            var total = File.ReadLines(path.FullName).Count();

            ImportSummary summary = null!;
            await console.Progress().AutoClear(false).StartAsync(async context =>
            {
                var task = context.AddTask($"Importing {path.Name}", maxValue: Math.Max(1, total - (path.Extension == ".csv" ? 1 : 0)));
                summary = await importer.ImportAsync(path.FullName, new Progress<int>(read => task.Value = read), cancellationToken);
                task.Value = task.MaxValue;
            });

            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"{summary.Read} rows read: {summary.Accepted} accepted, {summary.Duplicates} already imported, {summary.Rejected.Count} rejected.");
            foreach (var (line, reason) in summary.Rejected.Take(ReasonsShown))
            {
                await output.WriteLineAsync($"  line {line}: {reason}");
            }

            if (summary.Rejected.Count > ReasonsShown)
            {
                await output.WriteLineAsync($"  … and {summary.Rejected.Count - ReasonsShown} more");
            }

            return summary.Rejected.Count == 0 ? 0 : 1;
        });

        return new Command("import", "Import data into the service.") { customers, ImportOffersCommand.Create() };
    }

    private static Dictionary<string, string> Pairs(string[]? values)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values ?? [])
        {
            var split = value.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0)
            {
                throw new ArgumentException($"'{value}' is not COLUMN=VALUE.");
            }

            pairs[value[..split]] = value[(split + 1)..];
        }

        return pairs;
    }
}
