using Personalization.Testing;

namespace Personalization.Cli.Tests;

/// <summary><c>personalize audit</c> against a real server: the erasure it just made, by target.</summary>
[Collection(CliCollection.Name)]
public sealed class AuditCommandTests(ServerEnvironment environment)
{
    [Fact]
    public async Task AnErasureShowsInTheTrailOfItsCustomer()
    {
        await using var server = await TestServer.StartAsync(TestServer.Settings(environment.Azurite));
        var endpoint = server.Address.ToString();
        var customer = $"c-{Guid.NewGuid():N}";
        var profiles = new Personalization.V1.ProfileService.ProfileServiceClient(server.Channel);
        await profiles.ForgetProfileAsync(new Personalization.V1.ForgetProfileRequest { CustomerId = customer });

        var (exitCode, output, error) = await CliRunner.RunAsync("audit", "--target", customer, "--endpoint", endpoint);

        Assert.True(exitCode == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var erase = Assert.Single(lines, l => l.Contains("ForgetProfile", StringComparison.Ordinal));
        Assert.Contains("erase", erase, StringComparison.Ordinal);
        Assert.Contains("OK", erase, StringComparison.Ordinal);
        Assert.Contains($"customer_id={customer}", erase, StringComparison.Ordinal);
        Assert.Equal("1 entries", lines[^1]);
    }
}
