using Personalization.Contracts.Persistence;
using Personalization.Contracts.Recommendations;
using Personalization.Decisioning.Recommendations;

namespace Personalization.Grains.Recommendations;

/// <summary>
/// Holds the shared item statistics (<see cref="ItemStatistics"/> changes them). They are
/// statistics, not records: written every <see cref="SignalsPerWrite"/> signals, every
/// <see cref="WriteEvery"/> while changing, and on deactivation, so a crash loses at most that much.
/// </summary>
public sealed class ItemStatsGrain(
    [PersistentState("itemstats", StorageNames.Grains)] IPersistentState<ItemStatsState> stats,
    TimeProvider time) : Grain, IItemStatsGrain
{
    /// <summary>Signals counted between writes.</summary>
    public const int SignalsPerWrite = 1000;

    /// <summary>Longest time a change waits for its write.</summary>
    public static readonly TimeSpan WriteEvery = TimeSpan.FromSeconds(30);

    private int _unsaved;
    private long _lastWrite;
    private ItemGraph? _snapshot;

    public async Task Observe(IReadOnlyList<ItemSignal> signals)
    {
        foreach (var signal in signals)
        {
            ItemStatistics.Observe(stats.State.Items, signal);
        }

        stats.State.Version++;
        _unsaved += signals.Count;
        if (_unsaved >= SignalsPerWrite || time.GetElapsedTime(_lastWrite) >= WriteEvery)
        {
            await WriteAsync();
        }
    }

    public Task<ItemGraph?> Snapshot(long version)
    {
        if (version == stats.State.Version)
        {
            return Task.FromResult<ItemGraph?>(null);
        }

        // Built once per version and shared by every silo that asks (it is immutable).
        if (_snapshot?.Version != stats.State.Version)
        {
            _snapshot = ItemGraph.Of(stats.State.Version, stats.State.Items, time.GetUtcNow().UtcDateTime);
        }

        return Task.FromResult<ItemGraph?>(_snapshot);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_unsaved > 0)
        {
            await WriteAsync();
        }
    }

    private async Task WriteAsync()
    {
        await stats.WriteStateAsync();
        _unsaved = 0;
        _lastWrite = time.GetTimestamp();
    }
}
