using Personalization.Contracts.Persistence;
using Personalization.Contracts.Reports;
using Personalization.Decisioning.Measurement;

namespace Personalization.Grains.Reports;

/// <summary>
/// One day's KPI counters. Increments arrive from every silo's <see cref="KpiCounters"/> and are
/// written behind by a timer (at most <see cref="FlushDelay"/> later): a read model, so a crash may
/// lose the last seconds of counts, never a customer's state.
/// </summary>
public sealed class KpiDayGrain(
    [PersistentState("kpi-day", StorageNames.Grains)] IPersistentState<KpiDayState> stored) : Grain, IKpiDayGrain
{
    /// <summary>How long increments wait in memory before they are written.</summary>
    public static readonly TimeSpan FlushDelay = TimeSpan.FromSeconds(5);

    private IGrainTimer? _flush;

    public Task Add(List<KpiTotal> totals)
    {
        foreach (var total in totals)
        {
            if (total.Slot is < 0 or >= KpiMetrics.Count)
            {
                continue;
            }

            if (!stored.State.Rows.TryGetValue(total.Dimension, out var row))
            {
                stored.State.Rows[total.Dimension] = row = new double[KpiMetrics.Count];
            }

            row[total.Slot] += total.Amount;
        }

        _flush ??= this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions(FlushDelay, Timeout.InfiniteTimeSpan));
        return Task.CompletedTask;
    }

    public Task<Dictionary<string, double[]>> Get() =>
        Task.FromResult(stored.State.Rows.ToDictionary(r => r.Key, r => (double[])r.Value.Clone(), StringComparer.Ordinal));

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
