using Orleans.Concurrency;
using Personalization.Decisioning.Journeys;

namespace Personalization.Contracts.Journeys;

/// <summary>
/// Every journey, each with all its versions and a status (key <see cref="DefaultKey"/>). Each change
/// bumps a version; silos cache the snapshot and refresh when it moves, so customers enter active
/// journeys and finish on the version they entered.
/// </summary>
public interface IJourneyRegistryGrain : IGrainWithStringKey
{
    /// <summary>The one registry's key.</summary>
    const string DefaultKey = "default";

    /// <summary>Saves a validated journey as version 1, in Draft.</summary>
    Task<JourneyResult> Create(JourneyDefinition journey);

    /// <summary>Saves a validated definition as the next version; enrollments in flight keep theirs. Not for an archived journey.</summary>
    Task<JourneyResult> Update(JourneyDefinition journey);

    /// <summary>One journey's current version and status.</summary>
    Task<JourneyResult> Get(string journeyId);

    /// <summary>Up to <paramref name="max"/> journeys after <paramref name="after"/> by id, optionally only in one status.</summary>
    Task<List<JourneyView>> List(string? after, int max, JourneyStatus? status);

    /// <summary>Moves a journey to Active (activate, resume), Paused or Archived; WrongState when the move does not apply.</summary>
    Task<JourneyResult> Move(string journeyId, JourneyStatus to);

    /// <summary>The snapshot, or null when the caller's <paramref name="knownVersion"/> is current.</summary>
    [AlwaysInterleave]
    Task<JourneySnapshot?> Snapshot(long knownVersion);
}
