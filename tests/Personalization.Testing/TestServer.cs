using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Personalization.Server.Hosting;

namespace Personalization.Testing;

/// <summary>A real Personalization server (silo + Kestrel) in this process, on free loopback ports.</summary>
public sealed class TestServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
        Channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true } });
    }

    /// <summary>Where the server listens.</summary>
    public Uri Address { get; }

    /// <summary>A channel to it.</summary>
    public GrpcChannel Channel { get; }

    /// <summary>The server's services (for assertions that need the inside view).</summary>
    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Settings for a one-silo server on Azurite, with free ports, its own container, and cluster and
    /// service ids of its own (membership and reminders are on the shared Azurite's tables).
    /// </summary>
    public static Dictionary<string, string?> Settings(AzuriteFixture azurite, string? container = null) => new()
    {
        ["Server:Port"] = "0",
        ["Cluster:ClusterId"] = $"test-{Guid.NewGuid():N}",
        ["Cluster:ServiceId"] = $"test-{Guid.NewGuid():N}",
        ["Cluster:SiloPort"] = FreePorts.Next().ToString(),
        ["Cluster:GatewayPort"] = FreePorts.Next().ToString(),
        ["Storage:ConnectionString"] = azurite.ConnectionString,
        ["Storage:Container"] = container ?? $"server-{Guid.NewGuid():N}",
        ["Storage:QueuePrefix"] = $"q{Guid.NewGuid():N}",
        // Access control has tests of its own (AccessControlTests); the others call without keys.
        ["Auth:Enabled"] = "false",
    };

    /// <summary>Turns access control on in <paramref name="settings"/> with these keys (name, key, one role each).</summary>
    public static Dictionary<string, string?> WithKeys(Dictionary<string, string?> settings, params (string Name, string Key, string Role)[] keys)
    {
        settings["Auth:Enabled"] = "true";
        foreach (var (name, key, role) in keys)
        {
            settings[$"Auth:Keys:{name}:Sha256"] = Personalization.Server.Security.ApiKeyInterceptor.Hash(key);
            settings[$"Auth:Keys:{name}:Roles:0"] = role;
        }

        return settings;
    }

    /// <summary>Builds the server exactly as Program.cs does, with these settings on top.</summary>
    public static WebApplication Build(IDictionary<string, string?> settings, Action<ISiloBuilder>? configureSilo = null, string environmentName = "Development")
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = environmentName, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddPersonalization(configureSilo);
        var app = builder.Build();
        app.MapPersonalization();
        return app;
    }

    /// <summary>Builds and starts a server; returns once the silo is active and Kestrel listens.</summary>
    public static async Task<TestServer> StartAsync(IDictionary<string, string?> settings, Action<ISiloBuilder>? configureSilo = null)
    {
        var app = Build(settings, configureSilo);
        await app.StartAsync();
        // The gRPC endpoint is bound first; a dashboard, when enabled, comes after it.
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
