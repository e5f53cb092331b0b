using Orleans;

namespace Personalization.Decisioning.Products;

/// <summary>A product of the catalog recommendations choose from; its fields are what filters and boosts read.</summary>
[GenerateSerializer, Immutable]
public sealed record Product
{
    /// <summary>Unique id, e.g. a stock code ("85123A").</summary>
    [Id(0)] public required string ProductId { get; init; }

    /// <summary>Display name.</summary>
    [Id(1)] public string Name { get; init; } = "";

    /// <summary>Category, lower-case, e.g. "candle-holders"; empty when unknown.</summary>
    [Id(2)] public string Category { get; init; } = "";

    /// <summary>Unit price in the shop's currency; not negative.</summary>
    [Id(3)] public double Price { get; init; }

    /// <summary>Whether it can be bought now (in stock); an unavailable product is never recommended.</summary>
    [Id(4)] public bool Available { get; init; } = true;

    /// <summary>Tags, e.g. "christmas".</summary>
    [Id(5)] public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Active or archived; an archived product is never recommended.</summary>
    [Id(6)] public ProductStatus Status { get; init; } = ProductStatus.Active;

    /// <summary>When it was first upserted.</summary>
    [Id(7)] public DateTime CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    [Id(8)] public DateTime UpdatedAt { get; init; }

    /// <summary>Whether it may be recommended: active and available.</summary>
    public bool IsRecommendable => Status == ProductStatus.Active && Available;
}
