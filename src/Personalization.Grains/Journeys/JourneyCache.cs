using Personalization.Contracts.Journeys;
using Personalization.Decisioning.Journeys;

namespace Personalization.Grains.Journeys;

/// <summary>
/// The journey definitions as this silo knows them: customers enter and step on every event without a
/// call. Refreshed from the registry at most once per <see cref="MaxAge"/> (so an activated, paused or
/// archived journey reaches every silo within a second), one refresh at a time per silo.
/// </summary>
public sealed class JourneyCache(IGrainFactory grains, TimeProvider time)
{
    /// <summary>How stale the definitions may be.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private JourneySnapshot _snapshot = JourneySnapshot.Empty;
    private long _checkedAt = -1;
    private Task<JourneySnapshot>? _refresh;

    /// <summary>The definitions, at most <see cref="MaxAge"/> old.</summary>
    public async ValueTask<JourneySnapshot> GetAsync()
    {
        if (Volatile.Read(ref _checkedAt) is >= 0 and var checkedAt && time.GetElapsedTime(checkedAt) < MaxAge)
        {
            return Volatile.Read(ref _snapshot);
        }

        Task<JourneySnapshot> refresh;
        lock (_gate)
        {
            if (_refresh is null || _refresh.IsCompleted)
            {
                _refresh = RefreshAsync();
            }

            refresh = _refresh;
        }

        return await refresh;
    }

    private async Task<JourneySnapshot> RefreshAsync()
    {
        var newer = await grains.GetGrain<IJourneyRegistryGrain>(IJourneyRegistryGrain.DefaultKey).Snapshot(Volatile.Read(ref _snapshot).Version);
        if (newer is not null)
        {
            Volatile.Write(ref _snapshot, newer);
        }

        Volatile.Write(ref _checkedAt, time.GetTimestamp());
        return Volatile.Read(ref _snapshot);
    }
}
