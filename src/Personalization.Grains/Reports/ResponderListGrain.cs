using Personalization.Contracts.Persistence;
using Personalization.Contracts.Reports;
using Personalization.Grains.Common;

namespace Personalization.Grains.Reports;

/// <summary>One delivery's clickers or converters: a persisted id set written behind (see <see cref="IdSetGrain"/>).</summary>
public sealed class ResponderListGrain([PersistentState("responders", StorageNames.Grains)] IPersistentState<IdSetState> responders) : IdSetGrain(responders), IResponderListGrain
{
    public Task Add(string customerId) => AddId(customerId);

    public Task Remove(string customerId) => RemoveId(customerId);

    public Task<int> Count() => CountIds();

    public Task<List<string>> Page(string? after, int max) => PageIds(after, max);
}
