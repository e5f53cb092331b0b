namespace Personalization.Server.Audit;

/// <summary>
/// Deletes audit days older than <see cref="AuditSettings.RetentionDays"/>: hourly, the two weeks of
/// days just past the retention (so a sweep missed while every server was down is caught up). Every
/// server sweeps; deleting a day twice is harmless.
/// </summary>
public sealed partial class AuditSweeper(AuditTrail trail, AuditSettings settings, TimeProvider time, ILogger<AuditSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            for (var back = settings.RetentionDays + 14; back > settings.RetentionDays; back--)
            {
                var day = today.AddDays(-back);
                try
                {
                    var deleted = await trail.DeleteDayAsync(day);
                    if (deleted > 0)
                    {
                        LogExpired(logger, deleted, day);
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSweepFailed(logger, e.Message);
                    break;
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit trail: {Count} entries of {Day} deleted (past the retention)")]
    private static partial void LogExpired(ILogger logger, int count, DateOnly day);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit trail retention sweep failed; next try in an hour: {Reason}")]
    private static partial void LogSweepFailed(ILogger logger, string reason);
}
