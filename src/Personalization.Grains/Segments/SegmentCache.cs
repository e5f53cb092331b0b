using Personalization.Contracts.Segments;
using Personalization.Decisioning.Segments;
using Personalization.Grains.Common;

namespace Personalization.Grains.Segments;

/// <summary>
/// The segment definitions as this silo knows them: customers evaluate these on every change without
/// a call. Refreshed from the registry at most once per <see cref="MaxAge"/>, or at once when a caller
/// needs a newer version than it holds (a backfill passes the version that created its segment).
/// </summary>
public sealed class SegmentCache(IGrainFactory grains, TimeProvider time)
{
    /// <summary>How stale the definitions may be for an ordinary change.</summary>
    public static readonly TimeSpan MaxAge = RegistryCache<SegmentSnapshot>.MaxAge;

    private readonly RegistryCache<SegmentSnapshot> _cache = new(
        version => grains.GetGrain<ISegmentRegistryGrain>(ISegmentRegistryGrain.DefaultKey).Snapshot(version),
        snapshot => snapshot.Version,
        SegmentSnapshot.Empty,
        time);

    /// <summary>The definitions, at version <paramref name="minVersion"/> or later.</summary>
    public ValueTask<SegmentSnapshot> GetAsync(long minVersion = 0) => _cache.GetAsync(minVersion);
}
