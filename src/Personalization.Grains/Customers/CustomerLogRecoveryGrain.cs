using Microsoft.Extensions.Logging;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Persistence;
using Personalization.Grains.Common;
using Personalization.Grains.Schedules;

namespace Personalization.Grains.Customers;

/// <summary>
/// Recovers one gone silo's change log: asks each customer with records in it to take them over
/// (<see cref="ICustomerGrain.ReleaseLog"/>, a few hundred at once, each with a slot of the silo's
/// <see cref="WakePacer"/>, which slows them and the wake-ups together when the store falls behind); a
/// customer whose call fails is asked again (<see cref="Tries"/> times, waiting longer each time), and only
/// then is the pass given up: the log stays for the next sweep, and customers done already answer at once.
/// Then it deletes the log.
/// </summary>
public sealed partial class CustomerLogRecoveryGrain(ICustomerLog log, WakePacer pacer, TimeProvider time, ILogger<CustomerLogRecoveryGrain> logger) : Grain, ICustomerLogRecoveryGrain
{
    /// <summary>How often one customer is asked before the pass is given up.</summary>
    public const int Tries = 5;

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
                await ReleaseAsync(key);
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

    private async Task ReleaseAsync(string key)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await pacer.RunAsync(() => GrainFactory.GetGrain<ICustomerGrain>(key).ReleaseLog(LogName));
                return;
            }
            catch (Exception ex) when (attempt < Tries)
            {
                LogRetry(logger, key, LogName, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1 << attempt), time);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Customer {Customer} did not take over its records of change log {Log}; asked again: {Reason}")]
    private static partial void LogRetry(ILogger logger, string customer, string log, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recovering change log {Log}: {Customers} customers")]
    private static partial void LogStarted(ILogger logger, string log, int customers);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovering change log {Log} failed; the next sweep retries: {Reason}")]
    private static partial void LogFailed(ILogger logger, string log, string reason);
}
