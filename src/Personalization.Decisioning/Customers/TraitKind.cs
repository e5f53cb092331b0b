namespace Personalization.Decisioning.Customers;

/// <summary>The type of a trait or property value.</summary>
public enum TraitKind
{
    Text = 0,
    Integer = 1,
    Real = 2,
    Boolean = 3,
    Time = 4,
}
