using Personalization.Contracts.Customers;
using Personalization.Contracts.Persistence;

namespace Personalization.Grains.Customers;

/// <summary>
/// One shard of the customer index. Changes are written at most once a second (an import adds
/// thousands of ids; writing the shard each time would be quadratic) and on deactivation.
/// </summary>
public sealed class CustomerIndexGrain([PersistentState("index", StorageNames.Grains)] IPersistentState<CustomerIndexState> index) : Grain, ICustomerIndexGrain
{
    private static readonly TimeSpan WriteDelay = TimeSpan.FromSeconds(1);
    private IGrainTimer? _write;
    private string[]? _sorted;

    public Task Add(string customerId) => Change(index.State.Ids.Add(customerId));

    public Task Remove(string customerId) => Change(index.State.Ids.Remove(customerId));

    public Task<List<string>> Page(string? after, int max)
    {
        _sorted ??= [.. index.State.Ids.Order(StringComparer.Ordinal)];
        var start = after is null ? 0 : Array.BinarySearch(_sorted, after, StringComparer.Ordinal) is var i && i >= 0 ? i + 1 : ~i;
        return Task.FromResult(_sorted.Skip(start).Take(max).ToList());
    }

    public Task<int> Count() => Task.FromResult(index.State.Ids.Count);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_write is not null)
        {
            await index.WriteStateAsync(cancellationToken);
        }
    }

    private Task Change(bool changed)
    {
        if (changed)
        {
            _sorted = null;
            _write ??= this.RegisterGrainTimer(WriteAsync, new GrainTimerCreationOptions(WriteDelay, Timeout.InfiniteTimeSpan));
        }

        return Task.CompletedTask;
    }

    private async Task WriteAsync(CancellationToken cancellationToken)
    {
        _write?.Dispose();
        _write = null;
        await index.WriteStateAsync(cancellationToken);
    }
}
