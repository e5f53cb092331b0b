using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Personalization.Server.Hosting;

/// <summary>Says where the server listens once the silo and Kestrel are both up.</summary>
public sealed partial class StartupBanner(IHostApplicationLifetime lifetime, IServer server, ILocalSiloDetails silo, ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() =>
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            LogReady(logger, addresses, silo.SiloAddress);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Personalization serving gRPC on {Endpoints} from silo {Silo}")]
    private static partial void LogReady(ILogger logger, ICollection<string> endpoints, SiloAddress silo);
}
