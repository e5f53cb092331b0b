using System.Buffers;
using System.Globalization;

namespace Personalization.Decisioning.Decisions;

/// <summary>
/// A decision id in the form the service gives (<c>d-{number in hex}-{32 hex digits of a random GUID}</c>)
/// held as its two numbers, so a remembered decision needs no string for it; any other id (campaign and
/// journey ids, ids stored by an earlier version) is kept as its text. The random part makes an id
/// unguessable, which is why outcomes can be reported by id alone.
/// </summary>
public readonly record struct DecisionKey(long Number, Guid Random, string? Text)
{
    /// <summary>A new id for a customer's decision <paramref name="number"/>.</summary>
    public static string NewId(long number) => Format(number, Guid.NewGuid());

    /// <summary>The id of a decision number and random part.</summary>
    public static string Format(long number, Guid random) => string.Create(CultureInfo.InvariantCulture, $"d-{number:x}-{random:N}");

    /// <summary>An id as its parts (or as text when it is not in the service's form).</summary>
    public static DecisionKey Of(string id)
    {
        // Only the exact text Format writes (lower-case hex, no leading zeros), so the parts give the id back.
        var span = id.AsSpan();
        if (span.Length > 35 && span.StartsWith("d-") && span[^33] == '-' && IsLowerHex(span[2..^33]) && (span[2] != '0' || span.Length == 36)
            && IsLowerHex(span[^32..])
            && long.TryParse(span[2..^33], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number) && number >= 0
            && Guid.TryParseExact(span[^32..], "N", out var random))
        {
            return new DecisionKey(number, random, null);
        }

        return new DecisionKey(0, Guid.Empty, id);
    }

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    private static bool IsLowerHex(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExcept(LowerHex);

    /// <summary>The id as text.</summary>
    public override string ToString() => Text ?? Format(Number, Random);
}
