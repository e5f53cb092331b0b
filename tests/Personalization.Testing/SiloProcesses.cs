using Grpc.Core;
using Grpc.Net.Client;
using Personalization.Server.Security;

namespace Personalization.Testing;

/// <summary>
/// Real server processes forming one cluster (membership, reminders and grain state on one Azurite), started as in
/// production — with an API key — for the fault tests and the fault harness that kill them. Every process started
/// through one instance joins the same cluster, with the same container and queues.
/// </summary>
/// <param name="azurite">The storage account every silo of the cluster uses.</param>
public sealed class SiloProcesses(AzuriteFixture azurite)
{
    private const string KeyName = "fault-test";


    /// <summary>The key every silo accepts (role admin; the default request-rate limit, as in production).</summary>
    public static string Key { get; } = $"fault-{Guid.NewGuid():N}";

    /// <summary>The cluster's id, its service id too (what an Orleans client of the cluster names).</summary>
    public string ClusterId { get; } = $"fault-{Guid.NewGuid():N}";

    /// <summary>The blob container of the cluster's grain state.</summary>
    public string Container { get; } = $"fault-{Guid.NewGuid():N}";

    /// <summary>The prefix of the cluster's delivery queues (<c>{Queues}-email</c>, …).</summary>
    public string Queues { get; } = $"q{Guid.NewGuid():N}";

    /// <summary>Starts a silo serving gRPC on <paramref name="port"/>, with extra settings (<c>--Section:Key=value</c>; a later one wins).</summary>
    public Task<ServerProcess> StartAsync(int port, params string[] settings)
    {
        var server = Path.Combine(AppContext.BaseDirectory, "Personalization.Server.dll");
        return ServerProcess.StartAsync("dotnet",
        [
            server,
            $"--Server:Port={port}",
            $"--Cluster:ClusterId={ClusterId}",
            $"--Cluster:ServiceId={ClusterId}",
            $"--Cluster:SiloPort={FreePorts.Next()}",
            $"--Cluster:GatewayPort={FreePorts.Next()}",
            $"--Storage:ConnectionString={azurite.ConnectionString}",
            $"--Storage:Container={Container}",
            $"--Storage:QueuePrefix={Queues}",
            $"--Auth:Keys:{KeyName}:Sha256={ApiKeyInterceptor.Hash(Key)}",
            $"--Auth:Keys:{KeyName}:Roles:0=admin",
            .. settings,
        ], port, AppContext.BaseDirectory);
    }

    /// <summary>A client of the silo on <paramref name="port"/> that sends the key.</summary>
    public static (GrpcChannel Channel, CallInvoker Invoker) Client(int port)
    {
        var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        return (channel, channel.Sending(Key));
    }
}
