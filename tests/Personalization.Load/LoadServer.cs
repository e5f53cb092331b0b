using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client;
using Personalization.Server.Security;
using Personalization.Testing;

namespace Personalization.Load;

/// <summary>
/// The server under load: the real <c>Personalization.Server</c> in its own process (production
/// environment, an API key, its own silo and storage on the given Azurite), so its CPU and memory
/// are measured apart from the load generator's. Calls go through one client over HTTP/2 on loopback.
/// </summary>
public sealed class LoadServer : IAsyncDisposable
{
    private const string Key = "load-harness-key";

    private readonly ServerProcess _process;
    private readonly GrpcChannel _channel;

    private LoadServer(ServerProcess process, int port)
    {
        _process = process;
        Address = new Uri($"http://127.0.0.1:{port}");
        _channel = GrpcChannel.ForAddress(Address, new GrpcChannelOptions
        {
            // Several HTTP/2 connections once 100 streams are busy on one, as a busy website's client would.
            HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan },
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        });
        Invoker = _channel.Sending(Key);
        Meter = new ProcessMeter(process.ProcessId);
    }

    public Uri Address { get; }

    /// <summary>Calls carrying the harness's key.</summary>
    public CallInvoker Invoker { get; }

    /// <summary>The server process's CPU and memory.</summary>
    public ProcessMeter Meter { get; }

    /// <summary>Starts a server on <paramref name="azurite"/>: grain state in memory or in blobs, in the given container.</summary>
    public static async Task<LoadServer> StartAsync(AzuriteFixture azurite, bool durable, string container, string queues)
    {
        var port = FreePorts.Next();
        var server = Path.Combine(AppContext.BaseDirectory, "Personalization.Server.dll");
        var process = await ServerProcess.StartAsync("dotnet",
        [
            server,
            $"--Server:Port={port}",
            // Its own cluster: membership is on the shared Azurite, and a server must not wait to
            // validate connectivity with the harness's earlier (stopped) servers.
            $"--Cluster:ClusterId=load-{Guid.NewGuid():N}",
            $"--Cluster:SiloPort={FreePorts.Next()}",
            $"--Cluster:GatewayPort={FreePorts.Next()}",
            $"--Storage:Provider={(durable ? "AzureBlob" : "Memory")}",
            $"--Storage:ConnectionString={azurite.ConnectionString}",
            $"--Storage:Container={container}",
            $"--Storage:QueuePrefix={queues}",
            $"--Auth:Keys:load:Sha256={ApiKeyInterceptor.Hash(Key)}",
            "--Auth:Keys:load:Roles:0=admin",
            "--Auth:Keys:load:RequestsPerSecond=0", // the harness measures the server, not the limit
            "--Logging:LogLevel:Default=Warning",
        ], port, AppContext.BaseDirectory);
        var load = new LoadServer(process, port);
        await load.WaitHealthyAsync();
        return load;
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await _process.DisposeAsync();
    }

    private async Task WaitHealthyAsync()
    {
        var health = new Grpc.Health.V1.Health.HealthClient(_channel);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                var answer = await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest());
                if (answer.Status == Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving)
                {
                    return;
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < deadline)
            {
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"the server at {Address} did not become healthy:\n{_process.Output}"));
            }

            await Task.Delay(200);
        }
    }
}
