using Personalization.Testing;

namespace Personalization.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class CommandTests(ServerEnvironment environment)
{
    private readonly string _endpoint = environment.Shared.Address.ToString();

    [Fact]
    public async Task PingPrintsOneLinePerRoundTrip()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("ping", "--count", "3", "--endpoint", _endpoint);

        Assert.Equal(0, exitCode);
        Assert.Equal(3, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.StartsWith("pong from S127.0.0.1:", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PingWithAGrainKeyShowsTheGrainsSilo()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("ping", "--grain-key", "cli", "--endpoint", _endpoint);

        Assert.Equal(0, exitCode);
        Assert.Contains(" grain on S127.0.0.1:", output);
    }

    [Fact]
    public async Task PingOfANonListeningServerPrintsTheStatusInOneLine()
    {
        var nobody = $"http://127.0.0.1:{FreePorts.Next()}";

        var (exitCode, _, error) = await CliRunner.RunAsync("ping", "--endpoint", nobody);

        Assert.Equal(1, exitCode);
        Assert.StartsWith("personalize: Unavailable:", error);
    }

    [Fact]
    public async Task HealthSaysServingAndExitsZero()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("health", "--endpoint", _endpoint);

        Assert.Equal(0, exitCode);
        Assert.Equal("SERVING", output.Trim());
    }

    [Fact]
    public async Task HealthOfANonListeningServerExitsOne()
    {
        var nobody = $"http://127.0.0.1:{FreePorts.Next()}";

        var (exitCode, output, _) = await CliRunner.RunAsync("health", "--endpoint", nobody);

        Assert.Equal(1, exitCode);
        Assert.Equal("UNREACHABLE (Unavailable)", output.Trim());
    }

    [Fact]
    public async Task ServicesListsTheProductServices()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("services", "--endpoint", _endpoint);

        Assert.Equal(0, exitCode);
        Assert.Contains("personalization.v1.DecisionService", output);
        Assert.Contains("grpc.health.v1.Health", output);
    }

    [Fact]
    public async Task AnEndpointThatIsNotAnAddressIsRejectedByName()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("ping", "--endpoint", "not a url");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--endpoint: 'not a url' is not an http:// or https:// address.", error);
    }
}
