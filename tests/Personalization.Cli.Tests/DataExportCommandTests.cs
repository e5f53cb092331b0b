using Personalization.Decisioning.Customers;
using Personalization.Testing;

namespace Personalization.Cli.Tests;

/// <summary><c>personalize data export</c> on real telco customers: the churn model's features by name and the label.</summary>
[Collection(CliCollection.Name)]
public sealed class DataExportCommandTests(ServerEnvironment environment)
{
    [Fact]
    public async Task ChurnRowsCarryTheModelsFeaturesAndTheLabel()
    {
        await using var server = await TestServer.StartAsync(TestServer.Settings(environment.Azurite));
        var endpoint = server.Address.ToString();
        var source = Path.Combine(RepositoryPaths.Root, "models", "data", "telco-churn", "WA_Fn-UseC_-Telco-Customer-Churn.csv");
        var sample = Path.Combine(Path.GetTempPath(), $"telco-{Guid.NewGuid():N}.csv");
        var output = Path.Combine(Path.GetTempPath(), $"export-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(sample, File.ReadLines(source).Take(201));
        try
        {
            await CliRunner.RunAsync("import", "customers", sample, "--endpoint", endpoint);
            var exported = await CliRunner.RunAsync("data", "export", "--kind", "churn", "--out", output, "--endpoint", endpoint);
            using var reader = new StreamReader(output);
            var records = CsvRecords.Read(reader).Select(r => r.Fields).ToList();
            var header = records[0];
            var expected = File.ReadLines(source).Skip(1).Take(200).Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[^1] == "Yes" ? "1" : "0");

            Assert.Equal(0, exported.ExitCode);
            Assert.Contains($"200 rows written to {output}", exported.Output);
            Assert.Equal(("customer_id", "churned"), (header[0], header[^1]));
            Assert.Contains("tenure", header);
            Assert.Contains("contract", header);
            Assert.Equal(200, records.Count - 1);
            Assert.All(records.Skip(1), r => Assert.Equal(expected[r[0]], r[^1]));
            var tenure = Array.IndexOf(header, "tenure");
            Assert.All(records.Skip(1), r => Assert.True(double.TryParse(r[tenure], System.Globalization.CultureInfo.InvariantCulture, out _)));
        }
        finally
        {
            File.Delete(sample);
            File.Delete(output);
        }
    }
}
