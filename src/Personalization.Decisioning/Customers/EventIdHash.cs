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

    /// <summary>
    /// A well-mixed 64-bit hash for putting ids in buckets (holdouts, shards): FNV-1a followed by the
    /// MurmurHash3 finalizer, because FNV-1a's low bits barely move between ids that differ only in
    /// their last characters (customer-000001, customer-000002, …).
    /// </summary>
    public static ulong Mixed(string text)
    {
        var hash = unchecked((ulong)Of(text));
        hash ^= hash >> 33;
        hash *= 0xff51afd7ed558ccd;
        hash ^= hash >> 33;
        hash *= 0xc4ceb9fe1a85ec53;
        hash ^= hash >> 33;
        return hash;
    }

    /// <summary>A stable, uniformly spread number in [0, 1) for <paramref name="text"/>: the same on every silo and run.</summary>
    public static double Unit(string text) => (Mixed(text) >> 11) * (1.0 / (1UL << 53));
}
