namespace Personalization.Grains.Common;

/// <summary>Many calls, at most a given number outstanding at once.</summary>
public static class Bounded
{
    /// <summary>Calls <paramref name="call"/> for every item with at most <paramref name="maxInFlight"/> outstanding; results in item order.</summary>
    public static async Task<TResult[]> SelectAsync<TItem, TResult>(IEnumerable<TItem> items, int maxInFlight, Func<TItem, Task<TResult>> call, CancellationToken cancellationToken = default)
    {
        using var gate = new SemaphoreSlim(maxInFlight);
        return await Task.WhenAll(items.Select(async item =>
        {
            await gate.WaitAsync(cancellationToken);
            try
            {
                return await call(item);
            }
            finally
            {
                gate.Release();
            }
        }));
    }
}
