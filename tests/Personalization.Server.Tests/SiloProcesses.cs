using Grpc.Core;
using Grpc.Net.Client;
using Personalization.Server.Security;
using Personalization.Testing;

namespace Personalization.Server.Tests;

/// <summary>
/// Real server processes forming one cluster (membership, reminders and grain state on one Azurite), started as in
/// production — with an API key — for the fault tests that kill one of them.
/// </summary>
internal sealed class SiloProcesses(ServerEnvironment environment)
{
    private readonly string _cluster = $"fault-{Guid.NewGuid():N}";

    /// <summary>The key every silo accepts (role admin).</summary>
    public static string Key { get; } = $"fault-{Guid.NewGuid():N}";

    public string Container { get; } = $"fault-{Guid.NewGuid():N}";

    public string Queues { get; } = $"q{Guid.NewGuid():N}";

    /// <summary>Starts a silo serving gRPC on <paramref name="port"/>, with extra settings (<c>--Section:Key=value</c>).</summary>
    public Task<ServerProcess> StartAsync(int port, params string[] settings)
    {
        var server = Path.Combine(AppContext.BaseDirectory, "Personalization.Server.dll");
        return ServerProcess.StartAsync("dotnet",
        [
            server,
            $"--Server:Port={port}",
            $"--Cluster:ClusterId={_cluster}",
            $"--Cluster:ServiceId={_cluster}",
            $"--Cluster:SiloPort={FreePorts.Next()}",
            $"--Cluster:GatewayPort={FreePorts.Next()}",
            $"--Storage:ConnectionString={environment.Azurite.ConnectionString}",
            $"--Storage:Container={Container}",
            $"--Storage:QueuePrefix={Queues}",
            $"--Auth:Keys:fault-test:Sha256={ApiKeyInterceptor.Hash(Key)}",
            "--Auth:Keys:fault-test:Roles:0=admin",
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
