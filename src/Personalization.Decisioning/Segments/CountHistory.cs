namespace Personalization.Decisioning.Segments;

/// <summary>
/// A segment's member count over time as a bounded ring (pure): time is cut into periods of
/// <c>every</c>; a period's sample goes to slot <c>period mod capacity</c>, so the store never holds
/// more than <c>capacity</c> samples per segment, a later sample of the same period replaces the
/// earlier one (every server may sample; the last word wins), and a slot left from an older turn of
/// the ring is ignored when read.
/// </summary>
public static class CountHistory
{
    /// <summary>The ring slot of a sample taken at <paramref name="at"/>.</summary>
    public static int Slot(DateTimeOffset at, TimeSpan every, int capacity) => (int)(Period(at, every) % capacity);

    /// <summary>The samples still within the ring's span before <paramref name="now"/> (newer than <c>capacity</c> periods), oldest first.</summary>
    public static IReadOnlyList<CountSample> Recent(IEnumerable<CountSample> samples, DateTimeOffset now, TimeSpan every, int capacity)
    {
        var oldest = Period(now, every) - capacity;
        return samples.Where(s => Period(s.At, every) > oldest && s.At <= now + every).OrderBy(s => s.At).ToList();
    }

    private static long Period(DateTimeOffset at, TimeSpan every) => at.UtcTicks / every.Ticks;
}

/// <summary>One sample of a segment's member count.</summary>
public readonly record struct CountSample(DateTimeOffset At, long MemberCount);
