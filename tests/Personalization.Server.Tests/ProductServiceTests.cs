using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>ProductService and RecommendService over real gRPC: the catalog, and what bad input gets.</summary>
[Collection(ServerCollection.Name)]
public sealed class ProductServiceTests(ServerEnvironment environment)
{
    private readonly ProductService.ProductServiceClient _products = new(environment.Shared.Channel);
    private readonly RecommendService.RecommendServiceClient _recommend = new(environment.Shared.Channel);

    private static string NewCategory() => $"c{Guid.NewGuid():N}"[..24];

    [Fact]
    public async Task AnUpsertedProductReadsBackAvailableUnlessSaidOtherwise()
    {
        var category = NewCategory();
        var product = new Product { ProductId = $"{category}-1", Name = "Lantern", Category = category, Price = 12.5, Tags = { "christmas" } };

        await _products.UpsertProductAsync(new UpsertProductRequest { Product = product });
        var read = await _products.GetProductAsync(new GetProductRequest { ProductId = product.ProductId });

        Assert.True(read.Available);
        Assert.Equal(ProductStatus.Active, read.Status);
        Assert.Equal(12.5, read.Price);
        Assert.Equal(["christmas"], read.Tags);
        Assert.NotNull(read.CreatedAt);
    }

    [Fact]
    public async Task AnImportedCsvPagesByIdAndArchivedProductsLeaveTheDefaultList()
    {
        var category = NewCategory();
        var csv = "product_id,name,category,price,available\n" + string.Concat(Enumerable.Range(0, 5).Select(i => $"{category}-{i},Item {i},{category},{i},{(i == 4 ? "false" : "true")}\n"));

        var imported = await _products.ImportProductsAsync(new ImportProductsRequest { Csv = csv });
        await _products.ArchiveProductAsync(new ArchiveProductRequest { ProductId = $"{category}-0" });
        var first = await _products.ListProductsAsync(new ListProductsRequest { Category = category, Page = new PageRequest { PageSize = 2 } });
        var second = await _products.ListProductsAsync(new ListProductsRequest { Category = category, Page = new PageRequest { PageSize = 2, PageToken = first.Page.NextPageToken } });

        Assert.Equal((5, 5, 0), (imported.Rows, imported.Created, imported.Updated));
        Assert.Equal(4, first.Page.TotalSize);
        Assert.Equal([$"{category}-1", $"{category}-2", $"{category}-3", $"{category}-4"], first.Products.Concat(second.Products).Select(p => p.ProductId));
        Assert.False(second.Products[^1].Available);
    }

    [Fact]
    public async Task ACsvWithABadRowIsRefusedWholeNamingTheLineAndColumn()
    {
        var category = NewCategory();
        var csv = $"product_id,name,price\n{category}-1,Fine,1\n{category}-2,Bad,cheap\n";

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _products.ImportProductsAsync(new ImportProductsRequest { Csv = csv }));
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await _products.GetProductAsync(new GetProductRequest { ProductId = $"{category}-1" }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("csv line 3.price:", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Theory]
    [InlineData("category", "Not A Slug")]
    [InlineData("price", "-1")]
    [InlineData("product_id", "")]
    public async Task ABadProductIsInvalidArgumentNamingTheField(string field, string value)
    {
        var product = new Product { ProductId = $"{NewCategory()}-1", Name = "X" };
        switch (field)
        {
            case "category":
                product.Category = value;
                break;
            case "price":
                product.Price = -1;
                break;
            default:
                product.ProductId = value;
                break;
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _products.UpsertProductAsync(new UpsertProductRequest { Product = product }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith($"product.{field}:", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("filter", "churn > 0.5")]
    [InlineData("filter", "price <")]
    [InlineData("count", "101")]
    [InlineData("boosts[0].weight", "0")]
    [InlineData("page_token", "not base64!")]
    [InlineData("customer_id", "")]
    public async Task ABadRecommendRequestIsInvalidArgumentNamingTheField(string field, string value)
    {
        var request = new RecommendRequest { AnonymousId = $"v-{Guid.NewGuid():N}" };
        switch (field)
        {
            case "filter":
                request.Filter = value;
                break;
            case "count":
                request.Count = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
            case "boosts[0].weight":
                request.Boosts.Add(new ItemBoost { Rule = "price < 5", Weight = 0 });
                break;
            case "page_token":
                request.PageToken = value;
                break;
            default:
                request.AnonymousId = "";
                break;
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _recommend.RecommendAsync(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(field, error.Status.Detail, StringComparison.Ordinal);
    }
}
