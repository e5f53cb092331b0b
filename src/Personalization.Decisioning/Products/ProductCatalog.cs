using Orleans;

namespace Personalization.Decisioning.Products;

/// <summary>An immutable snapshot of the product catalog at a version, as recommendations read it.</summary>
[GenerateSerializer, Immutable]
public sealed record ProductCatalog(
    [property: Id(0)] long Version,
    [property: Id(1)] IReadOnlyDictionary<string, Product> Products)
{
    /// <summary>No products yet.</summary>
    public static readonly ProductCatalog Empty = new(0, new Dictionary<string, Product>());

    /// <summary>The product, or null when the catalog has none with that id.</summary>
    public Product? Find(string productId) => Products.GetValueOrDefault(productId);
}
