namespace Personalization.Grains.Common;

/// <summary>
/// A persisted set of customer ids with ordered paging. Changes are written at most once a second
/// (an import or a backfill adds thousands of ids; writing the set each time would be quadratic) and
/// on deactivation, so a crash can lose up to a second of changes: the customer index and segment
/// memberships are rebuilt from customer state by a backfill (README: limits).
/// </summary>
public abstract class IdSetGrain(IPersistentState<IdSetState> set) : Grain
{
    private static readonly TimeSpan WriteDelay = TimeSpan.FromSeconds(1);
    private WriteBehind? _write;
    private bool _dirty;
    private string[]? _sorted;

    /// <summary>Adds an id (idempotent).</summary>
    protected Task AddId(string id) => Change(set.State.Ids.Add(id));

    /// <summary>Removes an id (idempotent).</summary>
    protected Task RemoveId(string id) => Change(set.State.Ids.Remove(id));

    /// <summary>Removes every id.</summary>
    protected Task ClearIds()
    {
        var any = set.State.Ids.Count > 0;
        set.State.Ids.Clear();
        return Change(any);
    }

    /// <summary>Up to <paramref name="max"/> ids after <paramref name="after"/>, in ordinal order.</summary>
    protected Task<List<string>> PageIds(string? after, int max)
    {
        _sorted ??= [.. set.State.Ids.Order(StringComparer.Ordinal)];
        var start = after is null ? 0 : Array.BinarySearch(_sorted, after, StringComparer.Ordinal) is var i && i >= 0 ? i + 1 : ~i;
        return Task.FromResult(_sorted.Skip(start).Take(max).ToList());
    }

    /// <summary>How many ids the set holds.</summary>
    protected Task<int> CountIds() => Task.FromResult(set.State.Ids.Count);

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty)
        {
            await WriteAsync();
        }
    }

    private Task Change(bool changed)
    {
        if (changed)
        {
            _sorted = null;
            _dirty = true;
            _write ??= new WriteBehind(this, WriteDelay, WriteAsync);
            _write.Arm();
        }

        return Task.CompletedTask;
    }

    private async Task WriteAsync()
    {
        await set.WriteStateAsync();
        _dirty = false;
    }
}
