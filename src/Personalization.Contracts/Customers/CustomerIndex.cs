using Personalization.Decisioning.Customers;

namespace Personalization.Contracts.Customers;

/// <summary>Which index shard holds a customer: a stable hash, the same on every silo.</summary>
public static class CustomerIndex
{
    /// <summary>The shard of a customer id.</summary>
    public static int ShardOf(string customerId) => (int)(EventIdHash.Mixed(customerId) % ICustomerIndexGrain.Shards);
}
