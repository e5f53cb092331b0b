namespace Personalization.Decisioning.Products;

/// <summary>Whether a product is in the catalog's live range.</summary>
public enum ProductStatus
{
    /// <summary>Listed; recommended when available.</summary>
    Active = 1,

    /// <summary>Retired; kept for history, never recommended.</summary>
    Archived = 2,
}
