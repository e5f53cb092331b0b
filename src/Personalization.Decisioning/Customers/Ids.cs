namespace Personalization.Decisioning.Customers;

/// <summary>
/// What an id (customer, visitor, event, decision, offer, campaign) may be: non-empty, at most a
/// length, no control characters, no bidirectional embedding, override or isolate characters (they
/// make an id display as a different one in logs and consoles), no backslash and no <c>.</c> or
/// <c>..</c> between slashes: ids name blobs, and a blob URI resolves those (<c>a\b</c> and
/// <c>a/./b</c> would be the same customer as <c>a/b</c>). Anything else — any script, emoji,
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

        if (value.Contains('\\', StringComparison.Ordinal))
        {
            return "must not contain a backslash.";
        }

        foreach (var segment in value.Split('/'))
        {
            if (segment is "." or "..")
            {
                return "must not contain '.' or '..' between slashes.";
            }
        }

        return null;
    }
}
