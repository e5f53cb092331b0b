using System.Collections.Concurrent;
using Personalization.Contracts.Schedules;

namespace Personalization.Grains.Schedules;

/// <summary>The wake-up schedule in this process's memory: memory-storage mode (one silo) and tests (one instance shared by the test cluster's silos).</summary>
public sealed class MemoryWakeStore : IWakeStore
{
    private readonly ConcurrentDictionary<int, SortedDictionary<string, WakeBatch>> _shards = new();

    /// <summary>Batches held now, all shards.</summary>
    public int Count => _shards.Values.Sum(s => { lock (s) { return s.Count; } });

    /// <inheritdoc/>
    public Task WriteAsync(int shard, WakeBatch batch, CancellationToken cancellation = default)
    {
        var batches = _shards.GetOrAdd(shard, _ => new SortedDictionary<string, WakeBatch>(StringComparer.Ordinal));
        lock (batches)
        {
            batches[batch.Key] = batch;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<WakeBatch>> ReadAsync(int shard, long throughBucket, CancellationToken cancellation = default)
    {
        if (!_shards.TryGetValue(shard, out var batches))
        {
            return Task.FromResult<IReadOnlyList<WakeBatch>>([]);
        }

        lock (batches)
        {
            return Task.FromResult<IReadOnlyList<WakeBatch>>([.. batches.Values.TakeWhile(b => b.Bucket <= throughBucket)]);
        }
    }

    /// <inheritdoc/>
    public Task DeleteAsync(int shard, WakeBatch batch, CancellationToken cancellation = default)
    {
        if (_shards.TryGetValue(shard, out var batches))
        {
            lock (batches)
            {
                batches.Remove(batch.Key);
            }
        }

        return Task.CompletedTask;
    }
}
