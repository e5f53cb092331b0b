using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Personalization.Contracts.Persistence;
using Personalization.Testing;

namespace Personalization.AzureStorage.Tests;

/// <summary>
/// One Azurite and one real server per durable provider (<c>Storage:Provider</c>; AzureBlob today), so the
/// tests exercise the grain storage exactly as the server's hosting code configures it.
/// </summary>
public sealed class StorageServers : IAsyncLifetime
{
    private readonly Dictionary<string, TestServer> _servers = [];

    public AzuriteFixture Azurite { get; } = new();

    /// <summary>The durable providers, for theories.</summary>
    public static TheoryData<string> Providers => ["AzureBlob"];

    /// <summary>The server of a provider.</summary>
    public TestServer Server(string provider) => _servers[provider];

    /// <summary>The grain storage the server registered under <see cref="StorageNames.Grains"/>.</summary>
    public IGrainStorage Storage(string provider) => Server(provider).Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        foreach (var provider in Providers)
        {
            _servers[provider] = await StartAsync(Settings(Azurite, provider));
        }
    }

    /// <summary>Settings for a server of its own on <paramref name="azurite"/> with grain state in <paramref name="provider"/>.</summary>
    public static Dictionary<string, string?> Settings(AzuriteFixture azurite, string provider)
    {
        var settings = TestServer.Settings(azurite);
        settings["Storage:Provider"] = provider;
        return settings;
    }

    /// <summary>Starts a server whose serializer knows <see cref="TestState"/>.</summary>
    public static Task<TestServer> StartAsync(Dictionary<string, string?> settings) =>
        TestServer.StartAsync(settings, silo => silo.Services.AddSerializer(s => s.AddAssembly(typeof(TestState).Assembly)));

    public async Task DisposeAsync()
    {
        foreach (var server in _servers.Values)
        {
            await server.DisposeAsync();
        }

        await Azurite.DisposeAsync();
    }
}
