using DomainProduct = Personalization.Decisioning.Products.Product;
using DomainProductStatus = Personalization.Decisioning.Products.ProductStatus;

namespace Personalization.V1.Conversions;

/// <summary>Maps products between the contract and the domain.</summary>
public static class ProductMapping
{
    /// <summary>The domain product for a contract product (validated separately by ProductRules).</summary>
    public static DomainProduct ToDomain(Product product) => new()
    {
        ProductId = product.ProductId,
        Name = product.Name,
        Category = product.Category,
        Price = product.Price,
        // Proto3 optional: unset means available.
        Available = !product.HasAvailable || product.Available,
        Tags = [.. product.Tags],
    };

    /// <summary>The contract product for a domain product.</summary>
    public static Product ToContract(DomainProduct product)
    {
        var contract = new Product
        {
            ProductId = product.ProductId,
            Name = product.Name,
            Category = product.Category,
            Price = product.Price,
            Available = product.Available,
            Status = product.Status == DomainProductStatus.Archived ? ProductStatus.Archived : ProductStatus.Active,
            CreatedAt = product.CreatedAt.ToContractOrUnset(),
            UpdatedAt = product.UpdatedAt.ToContractOrUnset(),
        };
        contract.Tags.AddRange(product.Tags);
        return contract;
    }

    /// <summary>The contract form of a recommended product (RecommendService and DecisionService answers).</summary>
    public static RecommendedItem ToContract(Decisioning.Recommendations.RecommendedItem item) =>
        new() { Product = ToContract(item.Product), Score = item.Score, Reason = item.Reason };
}
