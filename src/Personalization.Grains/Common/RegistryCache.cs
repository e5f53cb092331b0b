namespace Personalization.Grains.Common;

/// <summary>
/// A registry's definitions as this silo knows them, so customers read them on every change without a
/// call: refreshed at most once per <see cref="MaxAge"/>, or at once when a caller needs a newer
/// version than it holds, with one refresh in flight per silo however many customers ask. The
/// registry answers null when the version it was given is still current.
/// </summary>
public sealed class RegistryCache<TSnapshot>(Func<long, Task<TSnapshot?>> fetchNewerThan, Func<TSnapshot, long> versionOf, TSnapshot empty, TimeProvider time)
    where TSnapshot : class
{
    /// <summary>How stale the definitions may be for an ordinary change.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private TSnapshot _snapshot = empty;
    private long _checkedAt = -1;
    private Task<TSnapshot>? _refresh;

    /// <summary>The definitions, at version <paramref name="minVersion"/> or later.</summary>
    public async ValueTask<TSnapshot> GetAsync(long minVersion = 0)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (versionOf(snapshot) >= minVersion && Volatile.Read(ref _checkedAt) is >= 0 and var checkedAt && time.GetElapsedTime(checkedAt) < MaxAge)
        {
            return snapshot;
        }

        // A refresh already in flight may have asked before the version the caller needs existed: ask again then.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Task<TSnapshot> refresh;
            lock (_gate)
            {
                if (_refresh is null || _refresh.IsCompleted)
                {
                    _refresh = RefreshAsync();
                }

                refresh = _refresh;
            }

            snapshot = await refresh;
            if (versionOf(snapshot) >= minVersion)
            {
                break;
            }
        }

        return snapshot;
    }

    private async Task<TSnapshot> RefreshAsync()
    {
        if (await fetchNewerThan(versionOf(Volatile.Read(ref _snapshot))) is { } newer)
        {
            Volatile.Write(ref _snapshot, newer);
        }

        Volatile.Write(ref _checkedAt, time.GetTimestamp());
        return Volatile.Read(ref _snapshot);
    }
}
