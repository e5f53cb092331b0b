using Personalization.Contracts.Segments;
using Personalization.Decisioning.Segments;

namespace Personalization.Grains.Segments;

/// <summary>
/// The segment definitions as this silo knows them: customers evaluate these on every change without
/// a call. Refreshed from the registry at most once per <see cref="MaxAge"/>, or at once when a caller
/// needs a newer version than it holds (a backfill passes the version that created its segment).
/// </summary>
public sealed class SegmentCache(IGrainFactory grains, TimeProvider time)
{
    /// <summary>How stale the definitions may be for an ordinary change.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private SegmentSnapshot _snapshot = SegmentSnapshot.Empty;
    private long _checkedAt = -1;
    private Task<SegmentSnapshot>? _refresh;

    /// <summary>The definitions, at version <paramref name="minVersion"/> or later.</summary>
    public async ValueTask<SegmentSnapshot> GetAsync(long minVersion = 0)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot.Version >= minVersion && Volatile.Read(ref _checkedAt) is >= 0 and var checkedAt && time.GetElapsedTime(checkedAt) < MaxAge)
        {
            return snapshot;
        }

        // A refresh already in flight may have asked before the version the caller needs existed: ask again then.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Task<SegmentSnapshot> refresh;
            lock (_gate)
            {
                // One refresh at a time per silo, however many customers ask.
                if (_refresh is null || _refresh.IsCompleted)
                {
                    _refresh = RefreshAsync();
                }

                refresh = _refresh;
            }

            snapshot = await refresh;
            if (snapshot.Version >= minVersion)
            {
                break;
            }
        }

        return snapshot;
    }

    private async Task<SegmentSnapshot> RefreshAsync()
    {
        var newer = await grains.GetGrain<ISegmentRegistryGrain>(ISegmentRegistryGrain.DefaultKey).Snapshot(Volatile.Read(ref _snapshot).Version);
        if (newer is not null)
        {
            Volatile.Write(ref _snapshot, newer);
        }

        Volatile.Write(ref _checkedAt, time.GetTimestamp());
        return Volatile.Read(ref _snapshot);
    }
}
