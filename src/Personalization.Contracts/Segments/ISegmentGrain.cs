namespace Personalization.Contracts.Segments;

/// <summary>One segment's membership as a whole (key: the segment's name): member counts and the backfill over all known customers.</summary>
public interface ISegmentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Starts (or restarts) filling the segment: every customer in the index re-evaluates its
    /// segments against registry version <paramref name="registryVersion"/> or later. Resumes after a crash.
    /// </summary>
    Task Backfill(long generation, long registryVersion);

    /// <summary>Members, summed over the shards.</summary>
    Task<long> MemberCount();

    /// <summary>Stops any backfill and drops every member (the segment was deleted).</summary>
    Task Clear();
}
