using System.IO.Compression;
using Personalization.Testing;

namespace Personalization.Cli.Tests;

/// <summary>The data scientist's path through the CLI: train, push with progress, list, activate, split, results, roll back.</summary>
[Collection(CliCollection.Name)]
public sealed class ModelLifecycleCommandTests(ServerEnvironment environment)
{
    [Fact]
    public async Task ATrainedModelIsPushedActivatedComparedAndRolledBack()
    {
        await using var server = await TestServer.StartAsync(TestServer.Settings(environment.Azurite));
        var endpoint = server.Address.ToString();
        var output = Directory.CreateTempSubdirectory("models-");
        try
        {
            var trained = await CliRunner.RunAsync("model", "train", "--kind", "churn", "--seed", "7", "--data", Path.Combine(RepositoryPaths.Root, "models", "data"), "--out", output.FullName);
            var bundle = Directory.GetFiles(Path.Combine(output.FullName, "churn"), "*.zip").Single();
            var version = Path.GetFileNameWithoutExtension(bundle);

            var pushed = await CliRunner.RunAsync("model", "push", bundle, "--kind", "churn", "--endpoint", endpoint);
            var wrongKind = await CliRunner.RunAsync("model", "push", bundle, "--kind", "offer", "--endpoint", endpoint);
            var activated = await CliRunner.RunAsync("model", "activate", version, "--kind", "churn", "--endpoint", endpoint);
            var listed = await CliRunner.RunAsync("model", "list", "--kind", "churn", "--endpoint", endpoint);
            var results = await CliRunner.RunAsync("model", "results", "--kind", "churn", "--endpoint", endpoint);
            var rolledBack = await CliRunner.RunAsync("model", "rollback", "--kind", "churn", "--endpoint", endpoint);
            var split = await CliRunner.RunAsync("model", "split", "--kind", "churn", "--challenger", version, "--share", "0.1", "--endpoint", endpoint);
            var nothingLeft = await CliRunner.RunAsync("model", "rollback", "--kind", "churn", "--endpoint", endpoint);

            Assert.Equal(0, trained.ExitCode);
            Assert.Equal(0, pushed.ExitCode);
            Assert.Contains($"{version}: staged (churn, mlnet, sha256 ", pushed.Output);
            Assert.Equal(1, wrongKind.ExitCode);
            Assert.Contains("personalize: InvalidArgument: header.kind: the bundle is a churn model, not offer.", wrongKind.Error);
            Assert.Contains($"{version}: active", activated.Output);
            Assert.Contains(version, listed.Output);
            Assert.Contains("retired", listed.Output); // the shipped model that seeded the registry
            Assert.Contains("champion", results.Output);
            Assert.Equal(0, rolledBack.ExitCode);
            Assert.Contains(": active", rolledBack.Output);
            Assert.Contains($"(challenger) 10%", split.Output);
            Assert.Equal(1, nothingLeft.ExitCode);
            Assert.Contains("personalize: FailedPrecondition: kind: no earlier churn version was active to roll back to.", nothingLeft.Error);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task ModelTrainTrainsOnExportedRows()
    {
        var output = Directory.CreateTempSubdirectory("models-");
        try
        {
            // The ONNX example's hold-out: 1,409 rows exactly as 'data export --kind churn' wrote them.
            var rows = Path.Combine(output.FullName, "churn-rows.csv");
            using (var zip = ZipFile.OpenRead(Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "models", "examples", "churn-onnx"), "*.zip").Single()))
            {
                zip.GetEntry("holdout.csv")!.ExtractToFile(rows);
            }

            var trained = await CliRunner.RunAsync("model", "train", "--kind", "churn", "--rows", rows, "--out", output.FullName);
            var notAKind = await CliRunner.RunAsync("model", "train", "--kind", "Churn_Model", "--rows", rows, "--out", output.FullName);

            Assert.Equal(0, trained.ExitCode);
            Assert.Single(Directory.GetFiles(Path.Combine(output.FullName, "churn"), "*.zip"));
            Assert.Matches(@"auc\s+0\.[89]\d{3}", trained.Output);
            Assert.Equal(2, notAKind.ExitCode);
            Assert.Contains("kind 'Churn_Model': a kind is 1 to 40 lower-case letters and hyphens", notAKind.Error);
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }
}
