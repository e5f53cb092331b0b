using Personalization.Contracts.Persistence;
using Personalization.Contracts.Segments;
using Personalization.Grains.Common;

namespace Personalization.Grains.Segments;

/// <summary>One shard of a segment's members.</summary>
public sealed class SegmentShardGrain([PersistentState("members", StorageNames.Grains)] IPersistentState<IdSetState> members) : IdSetGrain(members), ISegmentShardGrain
{
    public Task Join(string customerId) => AddId(customerId);

    public Task Leave(string customerId) => RemoveId(customerId);

    public Task<int> Count() => CountIds();

    public Task<List<string>> Page(string? after, int max) => PageIds(after, max);

    public Task Clear() => ClearIds();
}
