using System.Text.RegularExpressions;
using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Products;

/// <summary>Validates a product; every problem names its field as in the public contract.</summary>
public static partial class ProductRules
{
    /// <summary>Longest product name.</summary>
    public const int MaxNameLength = 300;

    /// <summary>Most tags a product carries.</summary>
    public const int MaxTags = 32;

    /// <summary>Every problem with <paramref name="product"/> (fields under <paramref name="prefix"/>); empty when it can be saved.</summary>
    public static List<FieldError> Validate(Product product, string prefix = "product")
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrEmpty(product.ProductId))
        {
            errors.Add(new($"{prefix}.product_id", "is required."));
        }
        else if (Ids.Problem(product.ProductId, Ids.MaxLength) is { } idProblem)
        {
            errors.Add(new($"{prefix}.product_id", idProblem));
        }

        if (string.IsNullOrWhiteSpace(product.Name) || product.Name.Length > MaxNameLength)
        {
            errors.Add(new($"{prefix}.name", $"is required, at most {MaxNameLength} characters."));
        }

        if (product.Category.Length > 0 && !Word().IsMatch(product.Category))
        {
            errors.Add(new($"{prefix}.category", $"'{Cut(product.Category)}' is not a category: lower-case letters, digits, '-' and '_', at most 64."));
        }

        if (!double.IsFinite(product.Price) || product.Price < 0)
        {
            errors.Add(new($"{prefix}.price", $"must be a finite number, not negative; got {product.Price}."));
        }

        if (product.Tags.Count > MaxTags)
        {
            errors.Add(new($"{prefix}.tags", $"at most {MaxTags} tags, got {product.Tags.Count}."));
        }
        else if (product.Tags.FirstOrDefault(t => !Word().IsMatch(t)) is { } tag)
        {
            errors.Add(new($"{prefix}.tags", $"'{Cut(tag)}' is not a tag: lower-case letters, digits, '-' and '_', at most 64."));
        }

        return errors;
    }

    /// <summary>A category or tag made from free text: lower-case, runs of other characters as '-', at most 64.</summary>
    public static string Slug(string text)
    {
        var slug = NotSlug().Replace(text.Trim().ToLowerInvariant(), "-").Trim('-');
        return slug.Length <= 64 ? slug : slug[..64].TrimEnd('-');
    }

    private static string Cut(string text) => text.Length <= 64 ? text : text[..64] + "…";

    // Categories and tags share one shape, so either can appear in a rule name (tag_christmas, affinity_kitchen).
    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex Word();

    [GeneratedRegex("[^a-z0-9_]+")]
    private static partial Regex NotSlug();
}
