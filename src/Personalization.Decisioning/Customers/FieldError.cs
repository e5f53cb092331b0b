namespace Personalization.Decisioning.Customers;

/// <summary>Why a field of a request was rejected; the field is named as in the public contract.</summary>
public sealed record FieldError(string Field, string Reason)
{
    public override string ToString() => $"{Field}: {Reason}";
}
