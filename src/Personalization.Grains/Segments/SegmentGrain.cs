using Microsoft.Extensions.Options;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Persistence;
using Personalization.Contracts.Segments;
using Personalization.Grains.Common;

namespace Personalization.Grains.Segments;

/// <summary>
/// Fills a segment: walks the customer index and has every known customer re-evaluate its segments.
/// Cursors are saved each round and a reminder brings the walk back after a crash.
/// </summary>
public sealed class SegmentGrain(
    [PersistentState("backfill", StorageNames.Grains)] IPersistentState<SegmentGrainState> backfill,
    IOptions<FanoutOptions> fanout) : Grain, ISegmentGrain, IRemindable
{
    private const string ResumeReminder = "backfill";
    private IGrainTimer? _pump;

    private string Name => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (backfill.State.Running)
        {
            StartPump();
        }

        return Task.CompletedTask;
    }

    public async Task Backfill(long generation, long registryVersion)
    {
        if (backfill.State.Running && backfill.State.Generation == generation)
        {
            return;
        }

        var counts = await Task.WhenAll(Enumerable.Range(0, ICustomerIndexGrain.Shards).Select(s => GrainFactory.GetGrain<ICustomerIndexGrain>(s).Count()));
        backfill.State = new SegmentGrainState { Generation = generation, RegistryVersion = registryVersion, Total = counts.Sum(), Running = true };
        await backfill.WriteStateAsync();
        await this.RegisterOrUpdateReminder(ResumeReminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        StartPump();
    }

    public async Task<long> MemberCount()
    {
        var counts = await Task.WhenAll(Enumerable.Range(0, ICustomerIndexGrain.Shards).Select(s => GrainFactory.GetGrain<ISegmentShardGrain>(ISegmentShardGrain.Key(Name, s)).Count()));
        return counts.Sum(c => (long)c);
    }

    public async Task Clear()
    {
        await StopAsync();
        backfill.State.Running = false;
        await backfill.WriteStateAsync();
        await Task.WhenAll(Enumerable.Range(0, ICustomerIndexGrain.Shards).Select(s => GrainFactory.GetGrain<ISegmentShardGrain>(ISegmentShardGrain.Key(Name, s)).Clear()));
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        // Activation restarted the pump if the walk is unfinished; a finished one drops its reminder.
        return backfill.State.Running ? Task.CompletedTask : StopAsync();
    }

    private void StartPump() =>
        _pump ??= this.RegisterGrainTimer(StepAsync, new GrainTimerCreationOptions(TimeSpan.Zero, TimeSpan.FromMilliseconds(1)));

    private async Task StepAsync(CancellationToken cancellationToken)
    {
        var state = backfill.State;
        if (!state.Running)
        {
            await StopAsync();
            return;
        }

        var version = state.RegistryVersion;
        await state.Cursors.StepAsync(
            (shard, after, max) => GrainFactory.GetGrain<ICustomerIndexGrain>(shard).Page(after, max),
            async id =>
            {
                await GrainFactory.GetGrain<ICustomerGrain>(id).EvaluateSegments(version);
                return id;
            },
            fanout.Value.PageSize,
            fanout.Value.MaxInFlight);
        state.Running = !state.Cursors.Complete;
        await backfill.WriteStateAsync(cancellationToken);
        var progress = state.Total == 0 ? 1 : Math.Min(1, state.Cursors.Visited / (double)state.Total);
        await GrainFactory.GetGrain<ISegmentRegistryGrain>(ISegmentRegistryGrain.DefaultKey).ReportBackfill(Name, state.Generation, progress, done: !state.Running);
        if (!state.Running)
        {
            await StopAsync();
        }
    }

    private async Task StopAsync()
    {
        _pump?.Dispose();
        _pump = null;
        if (await this.GetReminder(ResumeReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
