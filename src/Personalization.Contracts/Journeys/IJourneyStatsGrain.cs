using Orleans.Concurrency;

namespace Personalization.Contracts.Journeys;

/// <summary>One journey's live results (key: journey id), fed by every silo's counters about once a second.</summary>
public interface IJourneyStatsGrain : IGrainWithStringKey
{
    /// <summary>Adds increments gathered on a silo.</summary>
    Task Add(List<JourneyTotal> totals);

    /// <summary>The running totals.</summary>
    [AlwaysInterleave]
    Task<List<JourneyTotal>> Get();
}
