using Personalization.Contracts.Journeys;
using Personalization.Decisioning.Journeys;
using Personalization.Grains.Common;

namespace Personalization.Grains.Journeys;

/// <summary>
/// The journey definitions as this silo knows them: customers enter and step on every event without a
/// call. Refreshed from the registry at most once per <see cref="MaxAge"/> (so an activated, paused or
/// archived journey reaches every silo within a second), one refresh at a time per silo.
/// </summary>
public sealed class JourneyCache(IGrainFactory grains, TimeProvider time)
{
    /// <summary>How stale the definitions may be.</summary>
    public static readonly TimeSpan MaxAge = RegistryCache<JourneySnapshot>.MaxAge;

    private readonly RegistryCache<JourneySnapshot> _cache = new(
        version => grains.GetGrain<IJourneyRegistryGrain>(IJourneyRegistryGrain.DefaultKey).Snapshot(version),
        snapshot => snapshot.Version,
        JourneySnapshot.Empty,
        time);

    /// <summary>The definitions, at most <see cref="MaxAge"/> old.</summary>
    public ValueTask<JourneySnapshot> GetAsync() => _cache.GetAsync();
}
