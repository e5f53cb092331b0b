using Personalization.Contracts.Products;
using Personalization.Decisioning.Products;
using Personalization.Grains.Common;

namespace Personalization.Grains.Products;

/// <summary>The product catalog as this silo knows it, so a recommendation does not call the one catalog grain: refreshed at most once per second.</summary>
public sealed class ProductCache(IGrainFactory grains, TimeProvider time)
{
    private readonly RegistryCache<ProductCatalog> _cache = new(
        version => grains.GetGrain<IProductCatalogGrain>(IProductCatalogGrain.DefaultKey).Snapshot(version),
        snapshot => snapshot.Version,
        ProductCatalog.Empty,
        time);

    /// <summary>The catalog, at version <paramref name="minVersion"/> or later.</summary>
    public ValueTask<ProductCatalog> GetAsync(long minVersion = 0) => _cache.GetAsync(minVersion);
}
