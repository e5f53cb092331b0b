using Orleans.Concurrency;
using Personalization.Decisioning.Segments;

namespace Personalization.Contracts.Segments;

/// <summary>
/// Every segment definition (key <see cref="DefaultKey"/>). Each change bumps a version; silos cache
/// the definitions and refresh when the version moves, so customers re-evaluate current rules.
/// </summary>
public interface ISegmentRegistryGrain : IGrainWithStringKey
{
    /// <summary>The one registry's key.</summary>
    const string DefaultKey = "default";

    /// <summary>Saves a new segment and starts its backfill.</summary>
    Task<SegmentResult> Create(SegmentDefinition segment);

    /// <summary>Replaces a segment's rule or description; a new rule starts a new generation and a backfill.</summary>
    Task<SegmentResult> Update(SegmentDefinition segment);

    /// <summary>Deletes a segment and its membership; InUse while an unfinished campaign or another segment uses it.</summary>
    Task<SegmentResult> Delete(string name);

    /// <summary>One segment.</summary>
    Task<SegmentResult> Get(string name);

    /// <summary>Up to <paramref name="max"/> segments after <paramref name="after"/> by name.</summary>
    Task<List<SegmentDefinition>> List(string? after, int max);

    /// <summary>
    /// The definitions in evaluation order, or null when the caller's <paramref name="knownVersion"/> is
    /// current. Interleaves: customers of a backfill the registry is starting ask for it while the registry waits.
    /// </summary>
    [AlwaysInterleave]
    Task<SegmentSnapshot?> Snapshot(long knownVersion);

    /// <summary>A backfill's progress; ignored when the generation is no longer current. Interleaves for the same reason; the registry saves it by timer.</summary>
    [AlwaysInterleave]
    Task ReportBackfill(string name, long generation, double progress, bool done);
}
