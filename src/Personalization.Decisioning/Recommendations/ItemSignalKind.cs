namespace Personalization.Decisioning.Recommendations;

/// <summary>What a customer did with an item.</summary>
public enum ItemSignalKind
{
    /// <summary>Viewed it (or added it to the cart).</summary>
    View = 1,

    /// <summary>Bought it.</summary>
    Purchase = 2,
}
