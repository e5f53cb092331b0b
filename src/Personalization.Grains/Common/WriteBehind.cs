using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Personalization.Grains.Common;

/// <summary>
/// A grain's delayed write: armed by the first unsaved change, it writes once when due. When the
/// write fails (storage unreachable) the changes stay in memory and it tries again after the same
/// delay, so an outage delays durability instead of losing it.
/// </summary>
public sealed partial class WriteBehind(Grain grain, TimeSpan delay, Func<Task> write)
{
    private readonly ILogger _logger = grain.GrainContext.ActivationServices.GetRequiredService<ILogger<WriteBehind>>();
    private IGrainTimer? _timer;

    /// <summary>Schedules the write unless one is already scheduled.</summary>
    public void Arm() => _timer ??= grain.RegisterGrainTimer(FireAsync, new GrainTimerCreationOptions(delay, Timeout.InfiniteTimeSpan));

    /// <summary>Forgets the scheduled write (after a write made some other way).</summary>
    public void Cancel()
    {
        _timer?.Dispose();
        _timer = null;
    }

    // Disposing a timer cancels its running callback's token: write first, then let the timer go.
    private async Task FireAsync(CancellationToken cancellationToken)
    {
        try
        {
            await write();
            Cancel();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogRetry(_logger, grain.GetGrainId().ToString(), delay, ex.Message);
            _timer?.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {GrainId} failed; its changes stay in memory and the write is retried in {Delay}: {Reason}")]
    private static partial void LogRetry(ILogger logger, string grainId, TimeSpan delay, string reason);
}
