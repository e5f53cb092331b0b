using Xunit;

namespace Personalization.Testing;

/// <summary>
/// What end-to-end tests share: one Azurite, one Redis and one running server for the tests that
/// only read. Use it as a collection fixture so tests that start silos of their own run one at a time.
/// </summary>
public sealed class ServerEnvironment : IAsyncLifetime
{
    /// <summary>Storage for every server in the tests.</summary>
    public AzuriteFixture Azurite { get; } = new();

    /// <summary>Membership for multi-silo tests.</summary>
    public RedisFixture Redis { get; } = new();

    /// <summary>A one-silo server started once.</summary>
    public TestServer Shared { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Task.WhenAll(Azurite.InitializeAsync(), Redis.InitializeAsync());
        Shared = await TestServer.StartAsync(TestServer.Settings(Azurite));
    }

    public async Task DisposeAsync()
    {
        await Shared.DisposeAsync();
        await Task.WhenAll(Azurite.DisposeAsync(), Redis.DisposeAsync());
    }
}
