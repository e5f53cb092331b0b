namespace Personalization.Decisioning.Customers;

/// <summary>A 64-bit FNV-1a hash of an event id: 8 bytes per remembered id instead of the whole string.</summary>
public static class EventIdHash
{
    private const ulong Offset = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    /// <summary>The hash; never 0 (0 marks an empty slot of the ring).</summary>
    public static long Of(string eventId)
    {
        var hash = Offset;
        Span<byte> buffer = stackalloc byte[4];
        foreach (var rune in eventId.EnumerateRunes())
        {
            var count = rune.EncodeToUtf8(buffer);
            for (var i = 0; i < count; i++)
            {
                hash = (hash ^ buffer[i]) * Prime;
            }
        }

        return hash == 0 ? 1 : unchecked((long)hash);
    }
}
