using Personalization.Contracts.Offers;
using Personalization.Contracts.Persistence;
using Personalization.Contracts.Products;
using Personalization.Decisioning.Products;

namespace Personalization.Grains.Products;

/// <summary>Holds the product catalog; every change is written before the call returns, and a failed write changes nothing.</summary>
public sealed class ProductCatalogGrain(
    [PersistentState("products", StorageNames.Grains)] IPersistentState<ProductCatalogState> catalog,
    TimeProvider time) : Grain, IProductCatalogGrain
{
    private ProductCatalog? _snapshot;

    private Dictionary<string, Product> Products => catalog.State.Products;

    public async Task<int> Upsert(IReadOnlyList<Product> products)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var previous = new Dictionary<string, Product?>(StringComparer.Ordinal);
        foreach (var product in products)
        {
            var current = Products.GetValueOrDefault(product.ProductId);
            previous.TryAdd(product.ProductId, current);
            Products[product.ProductId] = product with { Status = ProductStatus.Active, CreatedAt = current?.CreatedAt ?? now, UpdatedAt = now };
        }

        await SaveAsync(previous);
        return previous.Values.Count(p => p is null);
    }

    public Task<ProductResult> Get(string productId) => Task.FromResult(Result(Products.GetValueOrDefault(productId)));

    public Task<ProductPage> List(int pageSize, string? after, bool includeArchived, string? category)
    {
        var matching = Products.Values
            .Where(p => includeArchived || p.Status == ProductStatus.Active)
            .Where(p => string.IsNullOrEmpty(category) || p.Category == category)
            .OrderBy(p => p.ProductId, StringComparer.Ordinal)
            .ToList();
        var page = matching.Where(p => after is null || string.CompareOrdinal(p.ProductId, after) > 0).Take(pageSize + 1).ToList();
        var more = page.Count > pageSize;
        if (more)
        {
            page.RemoveAt(pageSize);
        }

        return Task.FromResult(new ProductPage(page, more ? page[^1].ProductId : null, matching.Count));
    }

    public async Task<ProductResult> Archive(string productId)
    {
        if (Products.GetValueOrDefault(productId) is not { } current)
        {
            return Result(null);
        }

        if (current.Status == ProductStatus.Archived)
        {
            return Result(current);
        }

        Products[productId] = current with { Status = ProductStatus.Archived, UpdatedAt = time.GetUtcNow().UtcDateTime };
        await SaveAsync(new Dictionary<string, Product?>(StringComparer.Ordinal) { [productId] = current });
        return Result(Products[productId]);
    }

    public Task<ProductCatalog?> Snapshot(long version)
    {
        if (version == catalog.State.Version)
        {
            return Task.FromResult<ProductCatalog?>(null);
        }

        // Built once per version and shared by every silo that asks (it is immutable).
        if (_snapshot?.Version != catalog.State.Version)
        {
            _snapshot = new ProductCatalog(catalog.State.Version, new Dictionary<string, Product>(Products, StringComparer.Ordinal));
        }

        return Task.FromResult<ProductCatalog?>(_snapshot);
    }

    private static ProductResult Result(Product? product) => new(product is null ? CatalogStatus.NotFound : CatalogStatus.Ok, product);

    private async Task SaveAsync(Dictionary<string, Product?> previous)
    {
        catalog.State.Version++;
        try
        {
            await catalog.WriteStateAsync();
        }
        catch
        {
            // A failed write changes nothing: put the previous products back.
            catalog.State.Version--;
            foreach (var (productId, product) in previous)
            {
                if (product is null)
                {
                    Products.Remove(productId);
                }
                else
                {
                    Products[productId] = product;
                }
            }

            throw;
        }
    }
}
