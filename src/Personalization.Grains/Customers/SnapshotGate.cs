using Microsoft.Extensions.Options;

namespace Personalization.Grains.Customers;

/// <summary>
/// Bounds the customer snapshots a silo writes at once (<see cref="CustomerPersistenceOptions.MaxConcurrentSnapshots"/>).
/// Without it, customers changed together (an import, a campaign) all snapshot in the same seconds:
/// thousands of writes in flight, a slow store slower, sockets exhausted. A due snapshot that finds
/// the gate full tries again a moment later without holding its customer.
/// </summary>
public sealed class SnapshotGate(IOptions<CustomerPersistenceOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.MaxConcurrentSnapshots, options.Value.MaxConcurrentSnapshots);

    /// <summary>Takes a slot if one is free now.</summary>
    public bool TryEnter() => _slots.Wait(0);

    /// <summary>Waits for a slot (a closing snapshot, which must be written).</summary>
    public Task EnterAsync() => _slots.WaitAsync();

    /// <summary>Gives a slot back.</summary>
    public void Exit() => _slots.Release();

    public void Dispose() => _slots.Dispose();
}
