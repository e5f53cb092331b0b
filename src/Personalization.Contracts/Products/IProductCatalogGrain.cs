using Personalization.Decisioning.Products;

namespace Personalization.Contracts.Products;

/// <summary>The product catalog (key: <see cref="DefaultKey"/>): every product recommendations choose from.</summary>
public interface IProductCatalogGrain : IGrainWithStringKey
{
    /// <summary>The one catalog of a deployment.</summary>
    const string DefaultKey = "default";

    /// <summary>Adds or replaces validated products in one write (an archived one is listed again); answers how many were new.</summary>
    Task<int> Upsert(IReadOnlyList<Product> products);

    /// <summary>One product; NotFound when missing.</summary>
    Task<ProductResult> Get(string productId);

    /// <summary>A page of products ordered by id, after <paramref name="after"/>.</summary>
    Task<ProductPage> List(int pageSize, string? after, bool includeArchived, string? category);

    /// <summary>Retires a product: never recommended again, kept for history; NotFound when missing.</summary>
    Task<ProductResult> Archive(string productId);

    /// <summary>The whole catalog when it changed since <paramref name="version"/>; null when that version is current.</summary>
    Task<ProductCatalog?> Snapshot(long version);
}
