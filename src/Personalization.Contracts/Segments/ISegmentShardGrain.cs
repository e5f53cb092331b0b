namespace Personalization.Contracts.Segments;

/// <summary>
/// One shard of a segment's members (key <c>{segment}/{shard}</c>, shard by
/// <see cref="Customers.CustomerIndex.ShardOf"/>): customers tell it when they join or leave.
/// </summary>
public interface ISegmentShardGrain : IGrainWithStringKey
{
    /// <summary>Adds a member (idempotent).</summary>
    Task Join(string customerId);

    /// <summary>Removes a member (idempotent).</summary>
    Task Leave(string customerId);

    /// <summary>Members in this shard.</summary>
    Task<int> Count();

    /// <summary>Up to <paramref name="max"/> member ids after <paramref name="after"/>, in ordinal order.</summary>
    Task<List<string>> Page(string? after, int max);

    /// <summary>Drops every member (the segment was deleted).</summary>
    Task Clear();

    /// <summary>The key of a segment's shard.</summary>
    static string Key(string segment, int shard) => $"{segment}/{shard}";
}
