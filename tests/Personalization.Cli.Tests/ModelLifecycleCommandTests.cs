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
            Assert.Contains($"{version}: staged (churn, sha256 ", pushed.Output);
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
}
