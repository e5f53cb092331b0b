using System.Globalization;
using Orleans;

namespace Personalization.Decisioning.Customers;

/// <summary>A typed value of a trait (plan, tenure, income…) or an event property.</summary>
[GenerateSerializer, Immutable]
public sealed record TraitValue(
    [property: Id(0)] TraitKind Kind,
    [property: Id(1)] string? Text = null,
    [property: Id(2)] long Integer = 0,
    [property: Id(3)] double Real = 0,
    [property: Id(4)] bool Boolean = false,
    [property: Id(5)] DateTime Time = default)
{
    public static TraitValue Of(string text) => new(TraitKind.Text, Text: text);

    public static TraitValue Of(long integer) => new(TraitKind.Integer, Integer: integer);

    public static TraitValue Of(double real) => new(TraitKind.Real, Real: real);

    public static TraitValue Of(bool boolean) => new(TraitKind.Boolean, Boolean: boolean);

    public static TraitValue Of(DateTime time) => new(TraitKind.Time, Time: time);

    /// <summary>The value as a number where it has one (integers, reals, booleans as 0/1).</summary>
    public double? AsNumber() => Kind switch
    {
        TraitKind.Integer => Integer,
        TraitKind.Real => Real,
        TraitKind.Boolean => Boolean ? 1 : 0,
        _ => null,
    };

    public override string ToString() => Kind switch
    {
        TraitKind.Text => Text ?? "",
        TraitKind.Integer => Integer.ToString(CultureInfo.InvariantCulture),
        TraitKind.Real => Real.ToString("R", CultureInfo.InvariantCulture),
        TraitKind.Boolean => Boolean ? "true" : "false",
        _ => Time.ToString("O", CultureInfo.InvariantCulture),
    };
}
