using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Contracts.Persistence;
using Personalization.Contracts.Schedules;

namespace Personalization.Grains.Schedules;

/// <summary>
/// Every silo, once active, keeps every shard of the wake-up schedule active: a call to each shard every
/// second, so a shard lost with a silo is active again on another within a second and catches up from storage.
/// </summary>
public sealed partial class WakeScheduleTicker(IGrainFactory grains, IOptions<WakeScheduleOptions> options, ILogger<WakeScheduleTicker> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(WakeScheduleTicker), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellation)
    {
        _loop = Task.Run(LoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellation)
    {
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
    }

    public void Dispose() => _stop.Dispose();

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        do
        {
            try
            {
                await Task.WhenAll(Enumerable.Range(0, options.Value.Shards).Select(s => grains.GetGrain<IWakeShardGrain>(s).Ensure()));
            }
            catch (Exception ex) when (!_stop.IsCancellationRequested)
            {
                LogEnsureFailed(logger, ex);
            }
            catch
            {
                // Stopping: a shard may already be gone with its silo.
            }
        }
        while (await Ticks.NextAsync(timer, _stop.Token));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Wake schedule: keeping the shards active failed (retried in a second)")]
    private static partial void LogEnsureFailed(ILogger logger, Exception ex);
}
