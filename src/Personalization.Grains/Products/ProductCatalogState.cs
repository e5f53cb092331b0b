using Personalization.Decisioning.Products;

namespace Personalization.Grains.Products;

/// <summary>The product catalog's persisted state: products by id, and a version that grows with every change.</summary>
[GenerateSerializer]
public sealed class ProductCatalogState
{
    [Id(0)] public Dictionary<string, Product> Products { get; set; } = new(StringComparer.Ordinal);

    [Id(1)] public long Version { get; set; }
}
