using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Products;

namespace Personalization.Cli.Retail;

/// <summary>
/// Reads the UCI Online Retail transactions (CSV, optionally gzipped) and keeps what a recommender
/// can learn from: lines of real invoices (not cancellations or adjustments) with a known customer,
/// a product stock code (five digits and an optional letter suffix; postage, fees, samples and
/// vouchers are dropped), a positive quantity and price. Exact duplicate lines are dropped. The data
/// has no categories: <see cref="Category"/> derives one from the product's name.
/// </summary>
public static partial class RetailData
{
    // Words that describe colour, pattern, size or packaging, not what the product is.
    private static readonly HashSet<string> NotKinds = new(StringComparer.Ordinal)
    {
        "red", "pink", "blue", "white", "black", "green", "ivory", "cream", "gold", "silver", "purple", "orange", "yellow", "brown", "grey",
        "retrospot", "polkadot", "spot", "spots", "dots", "stripe", "stripes", "floral", "design", "vintage", "assorted", "colour", "colours",
        "small", "large", "medium", "mini", "jumbo", "big", "set", "of", "the", "and", "with", "in", "for", "pack", "box", "boxes", "pcs", "piece", "pieces",
        "heart", "hearts", "love", "christmas", "paisley", "skull", "skulls", "rose", "roses", "apple", "apples", "bird", "birds", "star", "stars",
        "flower", "flowers", "regency", "doily", "lace", "gingham", "union", "jack", "london", "paris", "french", "english", "retro", "antique",
    };

    /// <summary>The kept lines, in file order (which is time order).</summary>
    public static List<RetailLine> Read(string path)
    {
        using var file = File.OpenRead(path);
        using Stream input = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(input);
        return Read(reader);
    }

    /// <summary>The kept lines of a CSV with the data set's header.</summary>
    public static List<RetailLine> Read(TextReader reader)
    {
        var lines = new List<RetailLine>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        Dictionary<string, int>? header = null;
        foreach (var (_, fields) in CsvRecords.Read(reader))
        {
            if (header is null)
            {
                header = fields.Select((name, index) => (name.Trim(), index)).ToDictionary(c => c.Item1, c => c.index, StringComparer.Ordinal);
                continue;
            }

            string Cell(string column) => fields[header[column]];
            var invoice = Cell("InvoiceNo");
            var code = Cell("StockCode").Trim();
            if (!char.IsAsciiDigit(invoice.FirstOrDefault()) || !StockCode().IsMatch(code) || Cell("CustomerID") is not { Length: > 0 } customer
                || !int.TryParse(Cell("Quantity"), CultureInfo.InvariantCulture, out var quantity) || quantity <= 0
                || !double.TryParse(Cell("UnitPrice"), NumberStyles.Float, CultureInfo.InvariantCulture, out var price) || price <= 0
                || !DateTime.TryParseExact(Cell("InvoiceDate"), "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
                || !seen.Add(string.Join('\u001f', fields)))
            {
                continue;
            }

            lines.Add(new RetailLine(invoice, code.ToUpperInvariant(), Cell("Description").Trim(), quantity, at, price, customer, Cell("Country")));
        }

        return lines;
    }

    /// <summary>The products the lines name: the latest description and price of each stock code, a derived category, tags from the name.</summary>
    public static List<Product> Products(IEnumerable<RetailLine> lines) =>
        [.. lines.GroupBy(l => l.StockCode, StringComparer.Ordinal)
            .Select(g => g.Last())
            .OrderBy(l => l.StockCode, StringComparer.Ordinal)
            .Select(l => new Product
            {
                ProductId = l.StockCode,
                Name = l.Description.Length == 0 ? l.StockCode : l.Description.Length <= ProductRules.MaxNameLength ? l.Description : l.Description[..ProductRules.MaxNameLength],
                Category = Category(l.Description),
                Price = l.UnitPrice,
                Tags = Tags(l.Description),
            })];

    /// <summary>
    /// A category from a product name: its last word that says what the thing is (not a colour,
    /// pattern or size), singular, e.g. "WHITE HANGING HEART T-LIGHT HOLDER" is "holder" and
    /// "JUMBO BAG RED RETROSPOT" is "bag"; "other" when no word qualifies.
    /// </summary>
    public static string Category(string description)
    {
        var words = Word().Matches(description.ToLowerInvariant()).Select(m => m.Value).Where(w => w.Length >= 3 && !NotKinds.Contains(w)).ToList();
        if (words.Count == 0)
        {
            return "other";
        }

        var word = words[^1];
        word = word.EndsWith("ies", StringComparison.Ordinal) ? word[..^3] + "y" : word.EndsWith("es", StringComparison.Ordinal) && word.Length > 4 && word[^3] is 's' or 'x' or 'h' ? word[..^2] : word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1] : word;
        return ProductRules.Slug(word);
    }

    /// <summary>Tags from a product name: "christmas" and the colours it names.</summary>
    public static List<string> Tags(string description)
    {
        var words = Word().Matches(description.ToLowerInvariant()).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        return [.. new[] { "christmas", "red", "pink", "blue", "white", "green", "vintage", "retrospot" }.Where(words.Contains)];
    }

    [GeneratedRegex("^[0-9]{5}[A-Za-z]{0,2}$")]
    private static partial Regex StockCode();

    [GeneratedRegex("[a-z]+")]
    private static partial Regex Word();
}
