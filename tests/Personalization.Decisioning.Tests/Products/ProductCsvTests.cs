using Personalization.Decisioning.Products;

namespace Personalization.Decisioning.Tests.Products;

public sealed class ProductCsvTests
{
    [Fact]
    public void RowsBecomeProductsWithDefaults()
    {
        var csv = "product_id,name,category,price,available,tags,ignored\n85123A,\"HEART, WHITE\",holder,2.55,,christmas;white,x\n22138,BAKING SET,set,4.95,false,,\n";

        var (products, errors) = ProductCsv.Read(new StringReader(csv), 100);

        Assert.Empty(errors);
        Assert.Equal(2, products.Count);
        Assert.Equal("HEART, WHITE", products[0].Name);
        Assert.True(products[0].Available);
        Assert.Equal(["christmas", "white"], products[0].Tags);
        Assert.False(products[1].Available);
        Assert.Equal(4.95, products[1].Price);
    }

    [Fact]
    public void ABadRowIsNamedByLineAndColumn()
    {
        var csv = "product_id,name,price\na,A,1\nb,B,cheap\nc,,1\n";

        var (_, errors) = ProductCsv.Read(new StringReader(csv), 100);

        Assert.Equal(["csv line 3.price", "csv line 4.name"], errors.Select(e => e.Field));
    }

    [Fact]
    public void AHeaderWithoutTheRequiredColumnsIsRefused()
    {
        var (products, errors) = ProductCsv.Read(new StringReader("id,title\na,A\n"), 100);

        Assert.Empty(products);
        Assert.Equal("csv", Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData("category", "Candle Holders")]
    [InlineData("price", "-1")]
    [InlineData("tags", "Bad Tag")]
    [InlineData("name", "")]
    public void ValidationNamesTheField(string field, string value)
    {
        var product = new Product
        {
            ProductId = "p",
            Name = field == "name" ? value : "P",
            Category = field == "category" ? value : "",
            Price = field == "price" ? -1 : 1,
            Tags = field == "tags" ? [value] : [],
        };

        Assert.Equal($"product.{field}", Assert.Single(ProductRules.Validate(product)).Field);
    }

    [Fact]
    public void SlugsAreLowerCaseWords()
    {
        Assert.Equal("candle-holders", ProductRules.Slug("  Candle  Holders! "));
    }
}
