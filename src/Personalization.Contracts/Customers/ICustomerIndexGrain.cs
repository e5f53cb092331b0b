namespace Personalization.Contracts.Customers;

/// <summary>
/// One shard (key 0..<see cref="Shards"/>-1) of the index of known customers: lets the service
/// list every customer (ListProfiles, and segment backfills) without any grain holding them all.
/// </summary>
public interface ICustomerIndexGrain : IGrainWithIntegerKey
{
    /// <summary>How many shards the index has.</summary>
    const int Shards = 64;

    /// <summary>Adds a customer (idempotent).</summary>
    Task Add(string customerId);

    /// <summary>Removes a customer (idempotent).</summary>
    Task Remove(string customerId);

    /// <summary>Up to <paramref name="max"/> ids after <paramref name="after"/>, in ordinal order.</summary>
    Task<List<string>> Page(string? after, int max);

    /// <summary>Customers in this shard.</summary>
    Task<int> Count();
}
