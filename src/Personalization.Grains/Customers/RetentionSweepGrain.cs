using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Diagnostics;
using Personalization.Contracts.Persistence;

namespace Personalization.Grains.Customers;

/// <summary>
/// The retention sweep: once per <see cref="RetentionOptions.SweepEvery"/> a pass walks the customer index
/// shard by shard, at most <see cref="RetentionOptions.SweepPerSecond"/> customers a second, and asks each to
/// erase itself if expired (<see cref="ICustomerGrain.EraseIfExpired"/>). The cursor is saved each second, so
/// a restart resumes the pass; an hourly reminder brings the sweep back after its silo goes.
/// </summary>
public sealed partial class RetentionSweepGrain(
    [PersistentState("retention", StorageNames.Grains)] IPersistentState<RetentionProgress> stored,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionSweepGrain> logger) : Grain, IRetentionSweepGrain, IRemindable
{
    private const string Reminder = "retention";
    private IGrainTimer? _timer;

    private RetentionProgress State => stored.State;

    public async Task Start()
    {
        if (!options.Value.Enabled)
        {
            if (await this.GetReminder(Reminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            return;
        }

        if (await this.GetReminder(Reminder) is null)
        {
            await this.RegisterOrUpdateReminder(Reminder, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));
        }

        _timer ??= this.RegisterGrainTimer(TickAsync, new GrainTimerCreationOptions(TimeSpan.Zero, TimeSpan.FromSeconds(1)) { KeepAlive = true });
    }

    public Task ReceiveReminder(string reminderName, TickStatus status) => Start();

    public Task<RetentionProgress> Progress() => Task.FromResult(State);

    // One second's share of the pass: up to SweepPerSecond customers, then the cursor is saved.
    private async Task TickAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (State.Shard >= ICustomerIndexGrain.Shards)
        {
            if (State.PassStartedAt is { } started && now - started < options.Value.SweepEvery)
            {
                return;
            }

            (State.Shard, State.After, State.PassStartedAt) = (0, null, now);
        }

        var budget = options.Value.SweepPerSecond;
        var erased = 0;
        while (budget > 0 && State.Shard < ICustomerIndexGrain.Shards)
        {
            var page = await GrainFactory.GetGrain<ICustomerIndexGrain>(State.Shard).Page(State.After, budget);
            var answers = await Task.WhenAll(page.Select(id => GrainFactory.GetGrain<ICustomerGrain>(id).EraseIfExpired()));
            erased += answers.Count(a => a);
            State.Checked += page.Count;
            budget -= page.Count;
            if (page.Count == 0)
            {
                (State.Shard, State.After) = (State.Shard + 1, null);
                State.Passes += State.Shard == ICustomerIndexGrain.Shards ? 1 : 0;
            }
            else
            {
                State.After = page[^1];
            }
        }

        State.Erased += erased;
        ProductTelemetry.RetentionErased(erased);
        await stored.WriteStateAsync(cancellationToken);
        if (State.Shard == ICustomerIndexGrain.Shards)
        {
            LogPass(logger, State.Passes, State.Checked, State.Erased);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention sweep pass {Pass} finished: {Checked} customers looked at, {Erased} erased, ever")]
    private static partial void LogPass(ILogger logger, long pass, long @checked, long erased);
}
