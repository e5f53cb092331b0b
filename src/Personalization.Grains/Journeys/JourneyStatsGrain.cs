using Personalization.Contracts.Journeys;
using Personalization.Contracts.Persistence;

namespace Personalization.Grains.Journeys;

/// <summary>
/// One journey's live results. Increments arrive from every silo's <see cref="JourneyCounters"/> and
/// are written behind by a timer (at most <see cref="FlushDelay"/> later): results are read models,
/// so a crash may lose the last moments of counts, never a customer's journey.
/// </summary>
public sealed class JourneyStatsGrain(
    [PersistentState("journey-stats", StorageNames.Grains)] IPersistentState<JourneyStatsState> stored) : Grain, IJourneyStatsGrain
{
    /// <summary>How long increments wait in memory before they are written.</summary>
    public static readonly TimeSpan FlushDelay = TimeSpan.FromSeconds(2);

    private IGrainTimer? _flush;

    public Task Add(List<JourneyTotal> totals)
    {
        foreach (var total in totals)
        {
            stored.State.Totals[total.Key] = stored.State.Totals.GetValueOrDefault(total.Key) + total.Count;
        }

        _flush ??= this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(FlushDelay, Timeout.InfiniteTimeSpan));
        return Task.CompletedTask;
    }

    public Task<List<JourneyTotal>> Get() => Task.FromResult(stored.State.Totals.Select(t => new JourneyTotal(t.Key, t.Value)).ToList());

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_flush is not null)
        {
            await stored.WriteStateAsync(cancellationToken);
        }
    }

    // Disposing a timer cancels its running callback's token: write first, then let the timer go.
    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        await stored.WriteStateAsync(cancellationToken);
        _flush?.Dispose();
        _flush = null;
    }
}
