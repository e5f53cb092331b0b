using Personalization.Testing;

namespace Personalization.Server.Tests;

/// <summary>
/// What the server tests share: one Azurite, one Redis and one running server for the tests that
/// only read. Tests run one at a time because each may start silos of its own.
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

[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerEnvironment>
{
    public const string Name = "Server";
}
