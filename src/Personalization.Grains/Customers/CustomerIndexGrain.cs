using Personalization.Contracts.Customers;
using Personalization.Contracts.Persistence;
using Personalization.Grains.Common;

namespace Personalization.Grains.Customers;

/// <summary>One shard of the customer index.</summary>
public sealed class CustomerIndexGrain([PersistentState("index", StorageNames.Grains)] IPersistentState<IdSetState> index) : IdSetGrain(index), ICustomerIndexGrain
{
    public Task Add(string customerId) => AddId(customerId);

    public Task Remove(string customerId) => RemoveId(customerId);

    public Task<List<string>> Page(string? after, int max) => PageIds(after, max);

    public Task<int> Count() => CountIds();
}
