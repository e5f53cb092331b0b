using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Persistence;

namespace Personalization.Grains.Customers;

/// <summary>
/// Every <see cref="CustomerPersistenceOptions.RecoverySweep"/>, once the silo is active: finds
/// change logs whose silo is gone and starts their recovery, so a customer that is never asked for
/// again still gets its changes back into its snapshot and the log can be deleted.
/// </summary>
public sealed partial class CustomerLogSweeper(
    ICustomerLog log,
    IGrainFactory grains,
    IOptions<CustomerPersistenceOptions> options,
    TimeProvider time,
    ILogger<CustomerLogSweeper> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(CustomerLogSweeper), ServiceLifecycleStage.Active, Start, StopAsync);

    private Task Start(CancellationToken cancellationToken)
    {
        if (log.Name is not null)
        {
            _loop = Task.Run(LoopAsync, CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stop.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task LoopAsync()
    {
        using var timer = new PeriodicTimer(options.Value.RecoverySweep, time);
        do
        {
            try
            {
                foreach (var orphan in await log.OrphanedLogsAsync())
                {
                    await grains.GetGrain<ICustomerLogRecoveryGrain>(orphan).Recover();
                }
            }
            catch (Exception ex) when (!_stop.IsCancellationRequested)
            {
                LogSweepFailed(logger, ex.Message);
            }
        }
        while (await Ticks.NextAsync(timer, _stop.Token));
    }

    public void Dispose() => _stop.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for change logs of gone silos failed; retried at the next sweep: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}
