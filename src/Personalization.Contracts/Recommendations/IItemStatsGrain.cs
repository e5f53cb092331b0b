using Personalization.Decisioning.Recommendations;

namespace Personalization.Contracts.Recommendations;

/// <summary>The shared item statistics (key: <see cref="DefaultKey"/>): counts, trends and the bought- and viewed-together graph.</summary>
public interface IItemStatsGrain : IGrainWithStringKey
{
    /// <summary>The one set of statistics of a deployment.</summary>
    const string DefaultKey = "default";

    /// <summary>Counts customers' views and purchases: a silo's batch (<c>ItemSignals</c>), so tracking never waits for it and a failed batch is kept for the next flush.</summary>
    Task Observe(IReadOnlyList<ItemSignal> signals);

    /// <summary>A snapshot when the statistics changed since <paramref name="version"/>; null when that version is current.</summary>
    Task<ItemGraph?> Snapshot(long version);
}
