using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Contracts.Diagnostics;
using Personalization.Contracts.Campaigns;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Persistence;
using Personalization.Contracts.Segments;
using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Deliveries;
using Personalization.Decisioning.Measurement;
using Personalization.Grains.Common;

namespace Personalization.Grains.Campaigns;

/// <summary>
/// Runs one campaign. A round reads the next page of every unfinished segment shard, has each member's
/// grain decide (exactly once per campaign and customer: the customer keeps the mark), queues the
/// deliveries, then saves cursors and counters together, so a crash resumes at the last saved round
/// and members of the unsaved round answer their first decision again (counted once, since the counts
/// were not saved either). A reminder starts scheduled campaigns and brings a running one back after
/// its silo dies. With a test share (<see cref="CampaignHold"/>) the first walk sends the variants to the
/// test share and holds the rest; when the walk ends the campaign waits (judging every second) for the
/// winner or the deadline, then walks the segment again, the same exactly-once way, to release the held
/// members.
/// </summary>
public sealed partial class CampaignGrain(
    [PersistentState("campaign", StorageNames.Grains)] IPersistentState<CampaignGrainState> stored,
    IDeliveryQueue deliveries,
    IOptions<FanoutOptions> fanout,
    TimeProvider time,
    ILogger<CampaignGrain> logger) : Grain, ICampaignGrain, IRemindable
{
    private CampaignState? _logged;

    private const string Reminder = "campaign";
    private static readonly TimeSpan CounterFlushDelay = TimeSpan.FromSeconds(2);
    private IGrainTimer? _pump;
    private IGrainTimer? _flush;
    private IGrainTimer? _wait;
    private static readonly TimeSpan WaitTick = TimeSpan.FromSeconds(1);

    private CampaignGrainState State => stored.State;

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (State.State == CampaignState.Running)
        {
            StartPump();
        }
        else if (State.State == CampaignState.Scheduled && State.StartAt <= Now)
        {
            await BeginAsync();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_flush is not null)
        {
            await stored.WriteStateAsync(cancellationToken);
        }
    }

    public async Task<CampaignResult> Create(CampaignDefinition campaign)
    {
        if (State.Definition is not null)
        {
            return new CampaignResult(CampaignResultStatus.AlreadyExists, View(), $"campaign.campaign_id: a campaign '{campaign.CampaignId}' exists.");
        }

        stored.State = new CampaignGrainState { Definition = campaign with { CreatedAt = Now }, State = CampaignState.Draft };
        await SaveAsync();
        return Ok();
    }

    public Task<CampaignResult> Get() => Task.FromResult(State.Definition is null ? NotFound() : Ok());

    public async Task<CampaignResult> Start(DateTime? startAt)
    {
        if (State.Definition is not { } definition)
        {
            return NotFound();
        }

        if (State.State != CampaignState.Draft)
        {
            return WrongState($"only a draft campaign can start; this one is {Name(State.State)}{(State.State == CampaignState.Paused ? " (resume it instead)" : "")}.");
        }

        var at = startAt ?? definition.StartAt;
        if (definition.EndAt is { } end && (at ?? Now) >= end)
        {
            return WrongState($"start_at: the campaign would start after its end ({end:u}).");
        }

        if (at is { } later && later > Now)
        {
            State.State = CampaignState.Scheduled;
            State.StartAt = later;
            await SaveAsync();
            await this.RegisterOrUpdateReminder(Reminder, later - Now, TimeSpan.FromMinutes(1));
            return Ok();
        }

        await BeginAsync();
        return Ok();
    }

    public async Task<CampaignResult> Pause()
    {
        if (State.Definition is null)
        {
            return NotFound();
        }

        if (State.State is not (CampaignState.Running or CampaignState.Scheduled))
        {
            return WrongState($"only a running or scheduled campaign can pause; this one is {Name(State.State)}.");
        }

        StopPump();
        State.State = CampaignState.Paused;
        await SaveAsync();
        await DropReminderAsync();
        return Ok();
    }

    public async Task<CampaignResult> Resume()
    {
        if (State.Definition is null)
        {
            return NotFound();
        }

        if (State.State != CampaignState.Paused)
        {
            return WrongState($"only a paused campaign can resume; this one is {Name(State.State)}.");
        }

        if (State.SegmentVersion == 0 && State.StartAt is { } later && later > Now)
        {
            // Paused before its start time: it goes back to waiting for it.
            State.State = CampaignState.Scheduled;
            await SaveAsync();
            await this.RegisterOrUpdateReminder(Reminder, later - Now, TimeSpan.FromMinutes(1));
            return Ok();
        }

        if (State.SegmentVersion == 0)
        {
            await BeginAsync();
            return Ok();
        }

        State.State = CampaignState.Running;
        await SaveAsync();
        await this.RegisterOrUpdateReminder(Reminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        StartPump();
        return Ok();
    }

    public async Task<CampaignResult> Cancel()
    {
        if (State.Definition is null)
        {
            return NotFound();
        }

        // A completed campaign may still have deliveries scheduled for later: cancelling it stops those.
        if (State.State is CampaignState.Cancelled)
        {
            return WrongState($"the campaign is already {Name(State.State)}.");
        }

        StopPump();
        State.State = CampaignState.Cancelled;
        State.CompletedAt ??= Now;
        await SaveAsync();
        await DropReminderAsync();
        return Ok();
    }

    // Outcomes and conversions only move counters in memory (saved by a timer or the next round), so
    // they may interleave with a round, and a customer reporting one never waits for a round to end.
    public Task RecordOutcome(Channel channel, Outcome outcome)
    {
        var counts = State.Progress.Channel(channel);
        switch (outcome)
        {
            case Outcome.Shown:
                counts.Delivered++;
                break;
            case Outcome.Opened:
                counts.Opened++;
                break;
            case Outcome.Clicked:
                counts.Clicked++;
                break;
            case Outcome.Converted:
                counts.Converted++;
                break;
            default:
                return Task.CompletedTask;
        }

        ScheduleFlush();
        return Task.CompletedTask;
    }

    public Task RecordDrops(Dictionary<DeliveryDrop, long> drops)
    {
        foreach (var (reason, count) in drops)
        {
            State.Progress.Dropped[reason] = State.Progress.Dropped.GetValueOrDefault(reason) + count;
        }

        ScheduleFlush();
        return Task.CompletedTask;
    }

    public Task RecordConversion(CampaignConversion conversion)
    {
        State.Progress.Measurement.Convert(conversion);
        ScheduleFlush();
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        switch (State.State)
        {
            case CampaignState.Scheduled when State.StartAt <= Now:
                await BeginAsync();
                break;
            case CampaignState.Running:
                StartPump();
                break;
            case CampaignState.Scheduled:
                break;
            default:
                await DropReminderAsync();
                break;
        }
    }

    private async Task BeginAsync()
    {
        // Membership is checked at the registry version of now or later, so a just-created segment counts.
        var segments = await GrainFactory.GetGrain<ISegmentRegistryGrain>(ISegmentRegistryGrain.DefaultKey).Snapshot(-1);
        State.SegmentVersion = Math.Max(1, segments?.Version ?? 1);
        State.State = CampaignState.Running;
        State.StartAt ??= Now;
        State.Cursors = new ShardCursors();
        State.Progress.ShardsTotal = State.Cursors.Done.Length;
        await SaveAsync();
        await this.RegisterOrUpdateReminder(Reminder, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        StartPump();
    }

    private void StartPump() =>
        _pump ??= this.RegisterGrainTimer(RoundAsync, new GrainTimerCreationOptions(TimeSpan.Zero, TimeSpan.FromMilliseconds(1)));

    private void StopPump()
    {
        _pump?.Dispose();
        _pump = null;
        _wait?.Dispose();
        _wait = null;
    }

    // The definition while the campaign runs and its end has not passed; otherwise the timers are stopped (or
    // the campaign finished at its end) and null comes back. Both timer callbacks start here.
    private async Task<CampaignDefinition?> RunningDefinitionAsync()
    {
        if (State.State != CampaignState.Running || State.Definition is not { } definition)
        {
            StopPump();
            return null;
        }

        if (definition.EndAt is { } end && Now >= end)
        {
            await FinishAsync();
            return null;
        }

        return definition;
    }

    private async Task RoundAsync(CancellationToken cancellationToken)
    {
        if (await RunningDefinitionAsync() is not { } definition)
        {
            return;
        }

        using var activity = ProductTelemetry.Source.StartActivity("campaign.round");
        activity?.SetTag("campaign.id", definition.CampaignId);
        var segment = definition.Segment;
        var version = State.SegmentVersion;
        // Judged before each round, so conversions that came in meanwhile (a pause after a test share)
        // count; once the auto-winner has chosen, the remaining members get the winner only.
        JudgeExperiment(definition);
        var progress = State.Progress;
        var releasing = progress.ReleaseVariant is not null;
        if (State.Cursors.Complete)
        {
            // Walked already (a test walk waiting for its verdict, reactivated or resumed).
            await AfterWalkAsync(definition);
            return;
        }

        var sent = definition with { Winner = progress.ReleaseVariant ?? progress.Winner, Releasing = releasing };
        var decided = await State.Cursors.StepAsync(
            (shard, after, max) => GrainFactory.GetGrain<ISegmentShardGrain>(ISegmentShardGrain.Key(segment, shard)).Page(after, max),
            id => GrainFactory.GetGrain<ICustomerGrain>(id).DecideCampaign(sent, version),
            fanout.Value.PageSize,
            fanout.Value.MaxInFlight);

        // The release walk meets the members decided on the test walk again: their earlier answer is
        // neither queued nor counted again.
        if (releasing)
        {
            decided = [.. decided.Where(d => !d.Repeat || d.Released)];
        }

        // Queued before the cursors are saved: a crash in between queues these again (connectors
        // dedupe on delivery_id), but never loses one.
        var queued = decided.SelectMany(d => d.Deliveries).ToList();
        if (queued.Count > 0)
        {
            await deliveries.EnqueueAsync(definition.CampaignId, queued, cancellationToken);
        }

        foreach (var decision in decided)
        {
            State.Progress.Count(decision);
            ProductTelemetry.CampaignDecided(definition.CampaignId, decision.Suppression == CampaignSuppression.None ? "queued" : decision.Suppression.ToString());
        }

        activity?.SetTag("campaign.decided", decided.Count);

        State.Progress.ShardsDone = State.Cursors.DoneCount;
        if (State.Cursors.Complete)
        {
            await AfterWalkAsync(definition);
            return;
        }

        await stored.WriteStateAsync(cancellationToken);
        StopFlush();
    }

    // After a walk: complete, or (test share) release the winner or the default, or wait for either.
    private async Task AfterWalkAsync(CampaignDefinition definition)
    {
        var progress = State.Progress;
        var deadline = CampaignHold.Deadline(State.StartAt ?? definition.CreatedAt, definition.DecideBy ?? TimeSpan.Zero);
        var plan = CampaignHold.Next(progress.ReleaseVariant is not null, progress.Held, progress.Winner, Now, deadline);
        switch (plan.Step)
        {
            case HoldStep.Release:
                progress.ReleaseVariant = plan.Variant;
                progress.ReleasedAt = Now;
                progress.ReleasedByDeadline = plan.ByDeadline;
                State.Cursors = new ShardCursors();
                progress.ShardsDone = 0;
                await SaveAsync();
                LogRelease(logger, definition.CampaignId, definition.Variants[plan.Variant].Name, progress.Held, plan.ByDeadline);
                break;
            case HoldStep.Wait:
                _pump?.Dispose();
                _pump = null;
                await stored.WriteStateAsync();
                StopFlush();
                _wait ??= this.RegisterGrainTimer(WaitAsync, new GrainTimerCreationOptions(WaitTick, WaitTick));
                break;
            default:
                await FinishAsync();
                break;
        }
    }

    // While the held members wait: the conversions of the test share move the verdict, the clock the deadline.
    private async Task WaitAsync(CancellationToken cancellationToken)
    {
        if (await RunningDefinitionAsync() is not { } definition)
        {
            return;
        }

        JudgeExperiment(definition);
        var deadline = CampaignHold.Deadline(State.StartAt ?? definition.CreatedAt, definition.DecideBy ?? TimeSpan.Zero);
        if (CampaignHold.Next(releasing: false, State.Progress.Held, State.Progress.Winner, Now, deadline).Step == HoldStep.Release)
        {
            _wait?.Dispose();
            _wait = null;
            StartPump();
        }
    }

    // The auto-winner rule runs before every round: the intervals are confidence sequences, so looking
    // this often costs no error rate.
    private void JudgeExperiment(CampaignDefinition definition)
    {
        if (definition.AutoWinnerMinExposure <= 0 || definition.Variants.Count < 2 || State.Progress.Winner is not null || State.Progress.ReleaseVariant is not null)
        {
            return;
        }

        var arms = Enumerable.Range(0, definition.Variants.Count).Select(State.Progress.Measurement.Arm).ToList();
        var verdict = AutoWinner.Judge(arms, [.. definition.Variants.Select(v => v.Weight)], definition.AutoWinnerMinExposure);
        if (verdict.Winner is { } winner)
        {
            State.Progress.Winner = winner;
            State.Progress.WinnerAt = Now;
            LogWinner(logger, definition.CampaignId, definition.Variants[winner].Name, State.Progress.Decided);
        }
    }

    private async Task FinishAsync()
    {
        StopPump();
        State.State = CampaignState.Completed;
        State.CompletedAt = Now;
        await SaveAsync();
        await DropReminderAsync();
    }

    private void ScheduleFlush() =>
        _flush ??= this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(CounterFlushDelay, Timeout.InfiniteTimeSpan));

    // Disposing a timer cancels its running callback's token: write first, then let the timer go.
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await stored.WriteStateAsync(cancellationToken);
        StopFlush();
    }

    private void StopFlush()
    {
        _flush?.Dispose();
        _flush = null;
    }

    private async Task SaveAsync()
    {
        await stored.WriteStateAsync();
        StopFlush();
        var definition = State.Definition!;
        if (_logged != State.State)
        {
            LogState(logger, definition.CampaignId, State.State, State.Progress.Decided, State.Progress.Targeted);
            _logged = State.State;
        }

        await GrainFactory.GetGrain<ICampaignRegistryGrain>(ICampaignRegistryGrain.DefaultKey)
            .Put(new CampaignSummary(definition.CampaignId, definition.Segment, State.State, definition.CreatedAt));
    }

    private async Task DropReminderAsync()
    {
        if (await this.GetReminder(Reminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private CampaignView View() => new(State.Definition!, State.State, State.Progress, Now, State.StartAt);

    private CampaignResult Ok() => new(CampaignResultStatus.Ok, View(), "");

    private CampaignResult WrongState(string detail) => new(CampaignResultStatus.WrongState, View(), detail);

    private CampaignResult NotFound() => new(CampaignResultStatus.NotFound, null, $"campaign_id: no campaign '{this.GetPrimaryKeyString()}'.");

    private static string Name(CampaignState state) => state.ToString().ToLowerInvariant();

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} chose variant {Variant} as the winner after {Decided} members; the rest get it only")]
    private static partial void LogWinner(ILogger logger, string campaignId, string variant, long decided);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} releases variant {Variant} to {Held} held members (by deadline: {ByDeadline})")]
    private static partial void LogRelease(ILogger logger, string campaignId, string variant, long held, bool byDeadline);

    [LoggerMessage(Level = LogLevel.Information, Message = "Campaign {CampaignId} is {State} ({Decided} decided of {Targeted} targeted)")]
    private static partial void LogState(ILogger logger, string campaignId, CampaignState state, long decided, long targeted);
}
