using Personalization.Contracts.Recommendations;
using Personalization.Decisioning.Recommendations;
using Personalization.Grains.Common;

namespace Personalization.Grains.Recommendations;

/// <summary>The item graph as this silo knows it, refreshed at most once per second, so a recommendation does not call the one statistics grain.</summary>
public sealed class ItemGraphCache(IGrainFactory grains, TimeProvider time)
{
    private readonly RegistryCache<ItemGraph> _cache = new(
        version => grains.GetGrain<IItemStatsGrain>(IItemStatsGrain.DefaultKey).Snapshot(version),
        snapshot => snapshot.Version,
        ItemGraph.Empty,
        time);

    /// <summary>The item graph, at most a second old.</summary>
    public ValueTask<ItemGraph> GetAsync() => _cache.GetAsync();
}
