using Personalization.Testing;

namespace Personalization.Cli.Tests;

/// <summary><c>personalize model activate --validate-on service</c>: the service measures the model on its own rows and prints the figures and the rows.</summary>
[Collection(CliCollection.Name)]
public sealed class ModelValidationCommandTests(ServerEnvironment environment)
{
    [Fact]
    public async Task ActivationOnTheServicesRowsPrintsTheFiguresAndTheRowsOrWhyThereAreTooFew()
    {
        await using var server = await TestServer.StartAsync(TestServer.Settings(environment.Azurite));
        var endpoint = server.Address.ToString();
        var version = Path.GetFileNameWithoutExtension(Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "models", "churn"), "*.zip").Single());
        var source = Path.Combine(RepositoryPaths.Root, "models", "data", "telco-churn", "WA_Fn-UseC_-Telco-Customer-Churn.csv");
        var sample = Path.Combine(Path.GetTempPath(), $"telco-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(sample, File.ReadLines(source).Take(201));
        var churned = File.ReadLines(source).Skip(1).Take(200).Count(l => l.EndsWith(",Yes", StringComparison.Ordinal));
        try
        {
            var tooEarly = await CliRunner.RunAsync("model", "activate", version, "--kind", "churn", "--validate-on", "service", "--endpoint", endpoint);
            await CliRunner.RunAsync("import", "customers", sample, "--endpoint", endpoint);
            var activated = await CliRunner.RunAsync("model", "activate", version, "--kind", "churn", "--validate-on", "service", "--endpoint", endpoint);
            var unknown = await CliRunner.RunAsync("model", "activate", version, "--kind", "churn", "--validate-on", "lake", "--endpoint", endpoint);

            Assert.Equal(1, tooEarly.ExitCode);
            Assert.Contains("personalize: FailedPrecondition: validation_source: the service's churn rows (every customer): 0 labelled rows; at least 20 are needed", tooEarly.Error);
            Assert.True(activated.ExitCode == 0, activated.Output + activated.Error);
            Assert.Contains($"{version}: active", activated.Output);
            Assert.Contains($"measured on the service's churn rows (every customer): 200 rows, {churned} positives: auc 0.", activated.Output);
            Assert.NotEqual(0, unknown.ExitCode);
            Assert.Contains("lake", unknown.Error);
        }
        finally
        {
            File.Delete(sample);
        }
    }
}
