using Microsoft.Extensions.Logging;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Persistence;
using Personalization.Grains.Common;

namespace Personalization.Grains.Customers;

/// <summary>
/// Recovers one gone silo's change log: asks each customer with records in it to take them over
/// (<see cref="ICustomerGrain.ReleaseLog"/>, a few hundred at once), then deletes the log. A failure
/// leaves the log for the next sweep; customers done already answer at once the second time.
/// </summary>
public sealed partial class CustomerLogRecoveryGrain(ICustomerLog log, ILogger<CustomerLogRecoveryGrain> logger) : Grain, ICustomerLogRecoveryGrain
{
    private const int InFlight = 256;
    private Task? _running;

    private string LogName => this.GetPrimaryKeyString();

    public Task Recover()
    {
        if (_running is null || _running.IsCompleted)
        {
            _running = RunAsync();
        }

        return Task.CompletedTask;
    }

    private async Task RunAsync()
    {
        try
        {
            var keys = await log.KeysAsync(LogName);
            LogStarted(logger, LogName, keys.Count);
            await Bounded.SelectAsync(keys, InFlight, async key =>
            {
                await GrainFactory.GetGrain<ICustomerGrain>(key).ReleaseLog(LogName);
                return true;
            });
            await log.DeleteAsync(LogName);
            DeactivateOnIdle();
        }
        catch (Exception ex)
        {
            LogFailed(logger, LogName, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovering change log {Log}: {Customers} customers")]
    private static partial void LogStarted(ILogger logger, string log, int customers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovering change log {Log} failed; the next sweep retries: {Reason}")]
    private static partial void LogFailed(ILogger logger, string log, string reason);
}
