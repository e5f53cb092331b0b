using Orleans.Concurrency;
using Personalization.Decisioning.Recommendations;

namespace Personalization.Contracts.Recommendations;

/// <summary>The shared item statistics (key: <see cref="DefaultKey"/>): counts, trends and the bought- and viewed-together graph.</summary>
public interface IItemStatsGrain : IGrainWithStringKey
{
    /// <summary>The one set of statistics of a deployment.</summary>
    const string DefaultKey = "default";

    /// <summary>Counts customers' views and purchases; fire and forget, so tracking never waits for it.</summary>
    [OneWay]
    Task Observe(IReadOnlyList<ItemSignal> signals);

    /// <summary>A snapshot when the statistics changed since <paramref name="version"/>; null when that version is current.</summary>
    Task<ItemGraph?> Snapshot(long version);
}
