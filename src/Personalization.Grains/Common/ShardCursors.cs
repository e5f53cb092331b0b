using Personalization.Contracts.Customers;

namespace Personalization.Grains.Common;

/// <summary>How far a walk over the shards of an id set has come: persisted by the grain that walks, so it resumes after a crash.</summary>
[GenerateSerializer]
public sealed class ShardCursors
{
    /// <summary>Per shard, the last id visited (null: none yet).</summary>
    [Id(0)] public string?[] After { get; set; } = new string?[ICustomerIndexGrain.Shards];

    /// <summary>Per shard, whether every id has been visited.</summary>
    [Id(1)] public bool[] Done { get; set; } = new bool[ICustomerIndexGrain.Shards];

    /// <summary>Ids visited so far.</summary>
    [Id(2)] public long Visited { get; set; }

    /// <summary>Shards finished.</summary>
    public int DoneCount => Done.Count(d => d);

    /// <summary>Whether every shard is finished.</summary>
    public bool Complete => Array.TrueForAll(Done, d => d);

    /// <summary>
    /// One round of a walk: the next page of every unfinished shard, each id visited with at most
    /// <paramref name="maxInFlight"/> calls outstanding. The cursors advance only when every visit of the
    /// round succeeded (a failure throws and the round is retried), so no id is skipped; an id may be
    /// visited again after a crash, which is why visits must be idempotent.
    /// </summary>
    public async Task<List<T>> StepAsync<T>(Func<int, string?, int, Task<List<string>>> page, Func<string, Task<T>> visit, int pageSize, int maxInFlight)
    {
        var shards = Enumerable.Range(0, Done.Length).Where(s => !Done[s]).ToList();
        var pages = await Task.WhenAll(shards.Select(s => page(s, After[s], pageSize)));
        var results = await Bounded.SelectAsync(pages.SelectMany(p => p), maxInFlight, visit);

        for (var i = 0; i < shards.Count; i++)
        {
            var (shard, ids) = (shards[i], pages[i]);
            After[shard] = ids.Count > 0 ? ids[^1] : After[shard];
            Done[shard] = ids.Count < pageSize;
            Visited += ids.Count;
        }

        return [.. results];
    }
}
