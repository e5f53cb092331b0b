using Microsoft.Extensions.Logging;
using Personalization.Contracts.Customers;

namespace Personalization.Grains.Customers;

/// <summary>
/// Each silo, once active, makes sure the cluster's retention sweep runs (or stops it when no retention is set) — in
/// the background, asked again every <see cref="RetryEvery"/> until it answers. Never in the silo's start: a silo
/// started on the address of one that crashed finds the reminder service's range still owned by the dead generation
/// until the cluster declares it dead, and the call is refused (a restart at 100,000 customers stopped there).
/// </summary>
public sealed partial class RetentionSweepStarter(IGrainFactory grains, ILogger<RetentionSweepStarter> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>How long after a refused start it is asked again.</summary>
    public static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(5);

    private readonly CancellationTokenSource _stop = new();

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(RetentionSweepStarter), ServiceLifecycleStage.Active,
            started =>
            {
                _ = StartAsync();
                return Task.CompletedTask;
            },
            _ => _stop.CancelAsync());

    public void Dispose() => _stop.Dispose();

    private async Task StartAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<IRetentionSweepGrain>(IRetentionSweepGrain.DefaultKey).Start();
                return;
            }
            catch (Exception ex) when (!_stop.IsCancellationRequested)
            {
                LogRetry(logger, RetryEvery.TotalSeconds, ex.Message);
            }

            try
            {
                await Task.Delay(RetryEvery, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Starting the retention sweep failed; asked again in {Seconds} s: {Reason}")]
    private static partial void LogRetry(ILogger logger, double seconds, string reason);
}
