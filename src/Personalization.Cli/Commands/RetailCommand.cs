using System.CommandLine;
using System.Globalization;
using Personalization.Cli.Retail;

namespace Personalization.Cli.Commands;

/// <summary>
/// <c>personalize retail import FILE</c> (the UCI Online Retail products, customers and purchases
/// through the public API) and <c>personalize retail evaluate FILE</c> (the recommender's offline
/// figures on a time split, with the service's own pure code; needs no server).
/// </summary>
public static class RetailCommand
{
    /// <summary>The split the model card reports: the models' customer snapshot date.</summary>
    public const string DefaultCutoff = "2011-09-09";

    public static Command Create() => new("retail", "The UCI Online Retail data: import it, evaluate the recommender on it.") { Import(), Evaluate() };

    private static Command Import()
    {
        var file = new Argument<FileInfo>("file") { Description = "online-retail.csv.gz (or .csv) with the data set's header." };
        var until = new Option<string?>("--until") { Description = "Only purchases before this day (yyyy-MM-dd), e.g. to keep the later ones for evaluation." };
        var command = new Command("import", "Import the products, customers (country) and purchases through the API; safe to repeat.") { file, until };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var lines = RetailData.Read(parse.GetValue(file)!.FullName);
            if (parse.GetValue(until) is { } day)
            {
                var end = Day(day);
                lines = [.. lines.Where(l => l.At < end)];
            }

            using var channel = GlobalOptions.Channel(parse);
            var output = parse.InvocationConfiguration.Output;
            var summary = await RetailImporter.ImportAsync(channel, lines, null, cancellationToken);
            await output.WriteLineAsync($"products: {summary.Products} ({summary.ProductsCreated} created, {summary.ProductsUpdated} updated)");
            await output.WriteLineAsync($"customers: {summary.Customers}; purchases: {summary.Purchases}");
            await output.WriteLineAsync($"events: {summary.Accepted} applied, {summary.Duplicates} duplicates, {summary.Rejected} rejected");
            return summary.Rejected == 0 ? 0 : 1;
        });
        return command;
    }

    private static DateTime Day(string text) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day)
            ? day
            : throw new ArgumentException($"'{text}' is not a day (yyyy-MM-dd).");

    private static Command Evaluate()
    {
        var file = new Argument<FileInfo>("file") { Description = "online-retail.csv.gz (or .csv) with the data set's header." };
        var cutoff = new Option<string>("--cutoff") { Description = "Purchases before this day train; later ones test (yyyy-MM-dd).", DefaultValueFactory = _ => DefaultCutoff };
        var k = new Option<int>("--k") { Description = "List length.", DefaultValueFactory = _ => 10 };
        var command = new Command("evaluate", "HitRate@K and NDCG@K of the recommender against the popularity baseline on a time split.") { file, cutoff, k };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var split = Day(parse.GetValue(cutoff)!);
            var lines = RetailData.Read(parse.GetValue(file)!.FullName);
            var result = RetailEvaluation.Run(lines, split, parse.GetValue(k));
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"lines: {result.TrainLines} before {split:yyyy-MM-dd}, {result.TestLines} from it; products {result.Products}; customers {result.TrainCustomers}, evaluated {result.EvaluatedCustomers}");
            await output.WriteLineAsync(FormattableString.Invariant($"recommender: HitRate@{result.K} {result.HitRate:F4}  NDCG@{result.K} {result.Ndcg:F4}"));
            await output.WriteLineAsync(FormattableString.Invariant($"popularity:  HitRate@{result.K} {result.PopularHitRate:F4}  NDCG@{result.K} {result.PopularNdcg:F4}"));
            await output.WriteLineAsync(FormattableString.Invariant($"lift: HitRate x{result.HitRate / Math.Max(1e-9, result.PopularHitRate):F2}, NDCG x{result.Ndcg / Math.Max(1e-9, result.PopularNdcg):F2}"));
            return 0;
        });
        return command;
    }
}
