using Orleans;

namespace Personalization.Decisioning.Customers;

/// <summary>The open cart: what is in it, its value, and since when it has been open.</summary>
[GenerateSerializer]
public sealed class CartState
{
    /// <summary>Quantity and unit price by product id.</summary>
    [Id(0)] public Dictionary<string, LineItem> Lines { get; set; } = [];

    /// <summary>When the first item of this cart went in; default when empty.</summary>
    [Id(1)] public DateTime Since { get; set; }

    /// <summary>The latest cart change's event time.</summary>
    [Id(2)] public DateTime UpdatedAt { get; set; }

    /// <summary>Items in the cart.</summary>
    public int Items => Lines.Values.Sum(l => l.Quantity);

    /// <summary>Value of the cart.</summary>
    public double Value => Lines.Values.Sum(l => l.Quantity * l.UnitPrice);
}
