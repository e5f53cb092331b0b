using Grpc.Core;
using Personalization.Contracts.Offers;
using Personalization.Contracts.Products;
using Personalization.Decisioning.Products;
using Personalization.V1;
using Personalization.V1.Conversions;
using Product = Personalization.V1.Product;

namespace Personalization.Server.Grpc;

/// <summary>ProductService: validates products and keeps them in the product catalog grain.</summary>
public sealed class ProductGrpcService(IGrainFactory grains) : ProductService.ProductServiceBase
{
    /// <summary>Most rows one import may carry.</summary>
    public const int MaxImportRows = 20_000;

    private IProductCatalogGrain Catalog => grains.GetGrain<IProductCatalogGrain>(IProductCatalogGrain.DefaultKey);

    public override async Task<Product> UpsertProduct(UpsertProductRequest request, ServerCallContext context)
    {
        var product = Validated(request.Product);
        await Catalog.Upsert([product]);
        return Found(await Catalog.Get(product.ProductId), product.ProductId);
    }

    public override async Task<Product> GetProduct(GetProductRequest request, ServerCallContext context) =>
        Found(await Catalog.Get(GrpcErrors.RequiredId(request.ProductId, "product_id")), request.ProductId);

    public override async Task<Product> ArchiveProduct(ArchiveProductRequest request, ServerCallContext context) =>
        Found(await Catalog.Archive(GrpcErrors.RequiredId(request.ProductId, "product_id")), request.ProductId);

    public override async Task<ListProductsResponse> ListProducts(ListProductsRequest request, ServerCallContext context)
    {
        var page = await Catalog.List(Paging.Size(request.Page), Paging.Decode(request.Page?.PageToken), request.IncludeArchived, request.Category);
        var response = new ListProductsResponse
        {
            Page = new PageInfo { NextPageToken = page.NextAfter is null ? "" : Paging.Encode(page.NextAfter), TotalSize = page.Total },
        };
        response.Products.AddRange(page.Products.Select(ProductMapping.ToContract));
        return response;
    }

    public override async Task<ImportProductsResponse> ImportProducts(ImportProductsRequest request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.Csv))
        {
            throw GrpcErrors.Invalid("csv: is required (a header row and at least one product).");
        }

        using var reader = new StringReader(request.Csv);
        var (products, errors) = ProductCsv.Read(reader, MaxImportRows);
        if (errors.Count > 0)
        {
            throw GrpcErrors.Invalid(string.Join("; ", errors.Take(10)));
        }

        if (products.Count == 0)
        {
            throw GrpcErrors.Invalid("csv: no product rows after the header.");
        }

        var created = await Catalog.Upsert(products);
        var distinct = products.Select(p => p.ProductId).Distinct(StringComparer.Ordinal).Count();
        return new ImportProductsResponse { Rows = products.Count, Created = created, Updated = distinct - created };
    }

    private static Decisioning.Products.Product Validated(Product? product)
    {
        if (product is null)
        {
            throw GrpcErrors.Invalid("product: is required.");
        }

        var domain = ProductMapping.ToDomain(product);
        var errors = ProductRules.Validate(domain);
        return errors.Count == 0 ? domain : throw GrpcErrors.Invalid(string.Join("; ", errors));
    }

    private static Product Found(ProductResult result, string productId) =>
        result.Status == CatalogStatus.NotFound
            ? throw GrpcErrors.NotFound($"product_id: no product '{productId}'.")
            : ProductMapping.ToContract(result.Product!);
}
