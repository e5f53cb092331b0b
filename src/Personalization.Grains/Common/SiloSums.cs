using System.Collections.Concurrent;
using System.Numerics;
using Microsoft.Extensions.Logging;

namespace Personalization.Grains.Common;

/// <summary>
/// Sums kept in this silo since the last flush, by key: customer grains add without a call, and every flush interval
/// the sums go to the grain of each group of keys (one call per group per silo per flush, however many customers
/// counted). A failed flush keeps its sums for the next one. A read model: a crash loses at most one interval of sums,
/// never customer state. Journey step counts and KPI day counters are the two users.
/// </summary>
/// <typeparam name="TKey">What is summed by (a journey step and label; a day, dimension and slot).</typeparam>
/// <typeparam name="TGroup">The grain a key's sum goes to (a journey; a day).</typeparam>
/// <typeparam name="TValue">The number summed.</typeparam>
public abstract partial class SiloSums<TKey, TGroup, TValue>(TimeProvider time, TimeSpan flushInterval, ILogger logger) : IDisposable
    where TKey : notnull
    where TValue : INumber<TValue>
{
    private readonly Lock _gate = new();
    private ConcurrentDictionary<TKey, TValue> _sums = new();
    private ITimer? _timer;
    private int _flushing;

    /// <summary>Sends what was summed so far, one call per group.</summary>
    public async Task FlushAsync()
    {
        if (Interlocked.Exchange(ref _flushing, 1) == 1)
        {
            return;
        }

        try
        {
            var taken = Interlocked.Exchange(ref _sums, new());
            foreach (var group in taken.GroupBy(s => GroupOf(s.Key)))
            {
                var sums = group.ToList();
                try
                {
                    await SendAsync(group.Key, sums);
                }
                catch (Exception ex)
                {
                    LogFlushFailed(logger, ex, GetType().Name, group.Key);
                    foreach (var (key, value) in sums)
                    {
                        Add(key, value);
                    }
                }
            }
        }
        finally
        {
            Volatile.Write(ref _flushing, 0);
        }
    }

    public void Dispose()
    {
        _timer?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Adds to a key's sum; starts the flush timer on first use.</summary>
    protected void Add(TKey key, TValue amount)
    {
        _sums.AddOrUpdate(key, amount, (_, sum) => sum + amount);
        if (_timer is null)
        {
            lock (_gate)
            {
                _timer ??= time.CreateTimer(_ => _ = FlushAsync(), null, flushInterval, flushInterval);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} {Group}: sums not sent, kept for the next flush")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, string kind, TGroup group);

    /// <summary>The group (grain) a key's sum goes to.</summary>
    protected abstract TGroup GroupOf(TKey key);

    /// <summary>Sends one group's sums to its grain.</summary>
    protected abstract Task SendAsync(TGroup group, IReadOnlyList<KeyValuePair<TKey, TValue>> sums);
}
