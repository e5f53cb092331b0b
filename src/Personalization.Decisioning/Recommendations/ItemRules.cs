using System.Runtime.CompilerServices;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Products;
using Personalization.Decisioning.Rules;

namespace Personalization.Decisioning.Recommendations;

/// <summary>
/// Filters and boosts in the segment rule language over a product's fields: <c>product_id</c>,
/// <c>name</c>, <c>category</c> (text), <c>price</c> (a number), <c>available</c> (true or false)
/// and <c>tag_&lt;tag&gt;</c> (true when the product has the tag; '-' reads as '_'), e.g.
/// <c>category = 'candles' and price &lt; 10</c> or <c>tag_christmas</c>. A product is evaluated as a
/// subject whose traits are those fields, so the language, its errors and its positions are the ones
/// campaign managers know from segments.
/// </summary>
public static class ItemRules
{
    /// <summary>The names an item rule may read (besides <c>tag_…</c>).</summary>
    public static readonly IReadOnlyList<string> Fields = ["product_id", "name", "category", "price", "available"];

    private static readonly ConditionalWeakTable<Product, CustomerState> Subjects = [];

    /// <summary>The problem with an item rule, naming <paramref name="field"/>; null when it can be used.</summary>
    public static FieldError? Problem(string rule, string field)
    {
        if (RuleLanguage.Check(rule) is { } error)
        {
            return new FieldError(field, error.ToString());
        }

        var compiled = RuleLanguage.Compile(rule);
        if (compiled.Segments.Count > 0)
        {
            return new FieldError(field, "item rules read product fields, not segments.");
        }

        if (compiled.ReadsContext)
        {
            return new FieldError(field, "item rules read product fields, not the request's context.");
        }

        return compiled.Fields.FirstOrDefault(f => !Fields.Contains(f) && !f.StartsWith("tag_", StringComparison.Ordinal)) is { } unknown
            ? new FieldError(field, $"'{unknown}' is not a product field (one of {string.Join(", ", Fields)}, or tag_<tag>).")
            : null;
    }

    /// <summary>Whether <paramref name="product"/> matches a checked rule.</summary>
    public static bool Matches(CompiledRule rule, Product product, DateTime now) => rule.Matches(Subjects.GetValue(product, Subject), now);

    private static CustomerState Subject(Product product)
    {
        var traits = new Dictionary<string, TraitEntry>(StringComparer.Ordinal)
        {
            ["product_id"] = new(TraitValue.Of(product.ProductId), default),
            ["name"] = new(TraitValue.Of(product.Name), default),
            ["category"] = new(TraitValue.Of(product.Category), default),
            ["price"] = new(TraitValue.Of(product.Price), default),
            ["available"] = new(TraitValue.Of(product.Available), default),
        };
        foreach (var tag in product.Tags)
        {
            traits[$"tag_{tag.Replace('-', '_')}"] = new(TraitValue.Of(true), default);
        }

        return new CustomerState { Traits = traits };
    }
}
