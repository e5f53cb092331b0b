using System.Globalization;
using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Products;

/// <summary>
/// Reads products from CSV with a header row naming the columns: <c>product_id</c> and <c>name</c>
/// are required; <c>category</c>, <c>price</c>, <c>available</c> (true/false/1/0/yes/no, default
/// true) and <c>tags</c> (separated by <c>;</c> or <c>|</c>) are optional; other columns are ignored.
/// </summary>
public static class ProductCsv
{
    /// <summary>The columns this reader knows, in the order the CLI writes them.</summary>
    public static readonly IReadOnlyList<string> Columns = ["product_id", "name", "category", "price", "available", "tags"];

    /// <summary>Every row as a product, or the problems of the rows that are not (the field names the 1-based line and column).</summary>
    public static (List<Product> Products, List<FieldError> Errors) Read(TextReader reader, int maxRows)
    {
        var products = new List<Product>();
        var errors = new List<FieldError>();
        Dictionary<string, int>? header = null;
        foreach (var (line, fields) in CsvRecords.Read(reader))
        {
            if (header is null)
            {
                header = fields.Select((name, index) => (Name: name.Trim().ToLowerInvariant(), index)).GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.First().index, StringComparer.Ordinal);
                if (!header.ContainsKey("product_id") || !header.ContainsKey("name"))
                {
                    errors.Add(new("csv", "line 1: the header must name the columns product_id and name (optional: category, price, available, tags)."));
                    return (products, errors);
                }

                continue;
            }

            if (products.Count + errors.Count >= maxRows)
            {
                errors.Add(new("csv", $"at most {maxRows} rows per import."));
                break;
            }

            string Cell(string column) => header.TryGetValue(column, out var i) && i < fields.Length ? fields[i].Trim() : "";
            var price = 0.0;
            if (Cell("price") is { Length: > 0 } priceText && !double.TryParse(priceText, NumberStyles.Float, CultureInfo.InvariantCulture, out price))
            {
                errors.Add(new($"csv line {line}.price", $"'{priceText}' is not a number."));
                continue;
            }

            bool? available = Cell("available").ToLowerInvariant() switch
            {
                "" or "true" or "1" or "yes" => true,
                "false" or "0" or "no" => false,
                _ => null,
            };
            if (available is null)
            {
                errors.Add(new($"csv line {line}.available", $"'{Cell("available")}' is not true or false."));
                continue;
            }

            var product = new Product
            {
                ProductId = Cell("product_id"),
                Name = Cell("name"),
                Category = Cell("category"),
                Price = price,
                Available = available.Value,
                Tags = [.. Cell("tags").Split([';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
            };
            var problems = ProductRules.Validate(product, $"csv line {line}");
            if (problems.Count > 0)
            {
                errors.AddRange(problems);
            }
            else
            {
                products.Add(product);
            }
        }

        return (products, errors);
    }
}
