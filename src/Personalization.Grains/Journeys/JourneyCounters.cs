using Microsoft.Extensions.Logging;
using Personalization.Contracts.Journeys;
using Personalization.Decisioning.Journeys;
using Personalization.Grains.Common;

namespace Personalization.Grains.Journeys;

/// <summary>
/// This silo's journey counts since the last flush: customers add without a call, and every
/// <see cref="FlushInterval"/> the totals go to each journey's <see cref="IJourneyStatsGrain"/> (one
/// call per journey per silo per second, however many customers moved). A failed flush keeps its
/// counts for the next one.
/// </summary>
public sealed class JourneyCounters(IGrainFactory grains, TimeProvider time, ILogger<JourneyCounters> logger)
    : SiloSums<JourneyCount, string, long>(time, FlushInterval, logger)
{
    /// <summary>How often counts are sent to the journeys.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(1);

    /// <summary>Adds one to each count; starts the flush timer on first use.</summary>
    public void Add(IEnumerable<JourneyCount> counts)
    {
        foreach (var count in counts)
        {
            Add(count, 1);
        }
    }

    /// <summary>Adds each sum's amount to its count (a conversion's revenue and its square).</summary>
    public void Add(IEnumerable<KeyValuePair<JourneyCount, long>> sums)
    {
        foreach (var sum in sums)
        {
            Add(sum.Key, sum.Value);
        }
    }

    protected override string GroupOf(JourneyCount key) => key.JourneyId;

    protected override Task SendAsync(string journeyId, IReadOnlyList<KeyValuePair<JourneyCount, long>> sums) =>
        grains.GetGrain<IJourneyStatsGrain>(journeyId).Add([.. sums.Select(s => new JourneyTotal(s.Key, s.Value))]);
}
