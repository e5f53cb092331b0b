namespace Personalization.Decisioning.Customers;

/// <summary>
/// What an id (customer, visitor, event, decision, offer) may be: non-empty, at most a length, no
/// control characters, and no bidirectional embedding, override or isolate characters (they make
/// an id display as a different one in logs and consoles). Anything else — any script, emoji,
/// punctuation, text that looks like SQL or a path — is plain data.
/// </summary>
public static class Ids
{
    /// <summary>The longest id accepted anywhere.</summary>
    public const int MaxLength = 128;

    /// <summary>Why <paramref name="value"/> is not an acceptable id, or null when it is (empty is the caller's call).</summary>
    public static string? Problem(string value, int maxLength)
    {
        if (value.Length > maxLength)
        {
            return $"at most {maxLength} characters, got {value.Length}.";
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return "must not contain control characters.";
            }

            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
            {
                return "must not contain bidirectional override characters.";
            }
        }

        return null;
    }
}
