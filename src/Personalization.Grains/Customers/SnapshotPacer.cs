using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Persistence;

namespace Personalization.Grains.Customers;

/// <summary>
/// Paces the silo's background customer snapshots so they never starve the change log they exist to
/// trim. A customer with unsaved changes asks once to be snapshotted after a delay (<see cref="RequestAfter"/>)
/// and keeps answering; the pacer holds the silo's due times in one queue (no timer per customer) and
/// calls each back (<see cref="ICustomerGrain.Snapshot"/>) once due and a slot is free; a call that
/// fails is asked again after <see cref="RetryAfter"/>. How many run at
/// once adapts (<see cref="SnapshotPace"/>): halved while the log's appends or the snapshots themselves
/// are slow, one more every quarter second while there is a backlog and the store keeps up, never above
/// <see cref="CustomerPersistenceOptions.MaxConcurrentSnapshots"/>. Closing snapshots (deactivation)
/// skip the queue but share the same hard bound.
/// </summary>
public sealed partial class SnapshotPacer : IDisposable
{
    /// <summary>How often the concurrency is adjusted.</summary>
    public static readonly TimeSpan AdjustEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>How long after a failed snapshot call the customer is called again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(5);

    // How often due times are looked at.
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly PriorityQueue<string, long> _later = new();
    private readonly Lock _laterLock = new();
    private readonly Channel<string> _due = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, byte> _waiting = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _stop = new();
    private readonly IGrainFactory _grains;
    private readonly ICustomerLog _log;
    private readonly CustomerPersistenceOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SnapshotPacer> _logger;
    private int _limit;
    private int _running;
    private long _snapshotTicks;

    public SnapshotPacer(IGrainFactory grains, ICustomerLog log, IOptions<CustomerPersistenceOptions> options, TimeProvider time, ILogger<SnapshotPacer> logger)
    {
        _grains = grains;
        _log = log;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _slots = new SemaphoreSlim(_options.MaxConcurrentSnapshots, _options.MaxConcurrentSnapshots);
        _limit = Math.Min(SnapshotPace.Start, _options.MaxConcurrentSnapshots);
        _ = Task.Run(LoopAsync, CancellationToken.None);
        _ = Task.Run(DueLoopAsync, CancellationToken.None);
    }

    /// <summary>Customers waiting for a background snapshot (due or not yet).</summary>
    public int Waiting => _waiting.Count;

    /// <summary>Background snapshots allowed at once right now.</summary>
    public int Limit => Volatile.Read(ref _limit);

    /// <summary>
    /// Asks for a customer's snapshot once <paramref name="delay"/> has passed (once, however often it asks,
    /// until it has been called).
    /// </summary>
    public void RequestAfter(string customerId, TimeSpan delay)
    {
        if (!_waiting.TryAdd(customerId, 0))
        {
            return;
        }

        if (delay <= TimeSpan.Zero)
        {
            _due.Writer.TryWrite(customerId);
            return;
        }

        var due = _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency);
        lock (_laterLock)
        {
            _later.Enqueue(customerId, due);
        }
    }

    /// <summary>Forgets a queued customer (it is deactivating and writes its closing snapshot itself).</summary>
    public void Withdraw(string customerId) => _waiting.TryRemove(customerId, out _);

    /// <summary>Waits for a slot for a closing snapshot, which must be written.</summary>
    public Task EnterAsync() => _slots.WaitAsync();

    /// <summary>Gives a closing snapshot's slot back.</summary>
    public void Exit() => _slots.Release();

    public void Dispose()
    {
        _stop.Cancel();
        _due.Writer.TryComplete();
        _stop.Dispose();
    }

    // Moves customers whose delay has passed to the due queue. One withdrawn (deactivated) meanwhile is
    // skipped by the loop below, which takes only customers still waiting.
    private async Task DueLoopAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(Tick, _time, _stop.Token);
                var now = _time.GetTimestamp();
                lock (_laterLock)
                {
                    while (_later.TryPeek(out var customerId, out var due) && due <= now)
                    {
                        _later.Dequeue();
                        _due.Writer.TryWrite(customerId);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The silo is stopping.
        }
    }

    private async Task LoopAsync()
    {
        var reader = _due.Reader;
        var adjusted = _time.GetTimestamp();
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token))
            {
                if (_time.GetElapsedTime(adjusted) >= AdjustEvery)
                {
                    Adjust(reader.Count > 0);
                    adjusted = _time.GetTimestamp();
                }

                if (Volatile.Read(ref _running) >= Volatile.Read(ref _limit))
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(20), _time, _stop.Token);
                    continue;
                }

                if (reader.TryRead(out var customerId) && _waiting.TryRemove(customerId, out _))
                {
                    Interlocked.Increment(ref _running);
                    _ = SnapshotAsync(customerId);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The silo is stopping: closing snapshots happen at deactivation.
        }
    }

    private void Adjust(bool backlog)
    {
        var before = Volatile.Read(ref _limit);
        var appends = _log.AppendLatency;
        var snapshots = TimeSpan.FromTicks(Interlocked.Read(ref _snapshotTicks));
        var after = SnapshotPace.Next(before, _options.MaxConcurrentSnapshots, appends, snapshots, backlog, _options.SnapshotYieldAt);
        Volatile.Write(ref _limit, after);
        if (after < before)
        {
            LogYield(_logger, after, appends.TotalMilliseconds, snapshots.TotalMilliseconds, _waiting.Count);
        }
    }

    private async Task SnapshotAsync(string customerId)
    {
        await _slots.WaitAsync();
        var started = _time.GetTimestamp();
        try
        {
            await _grains.GetGrain<ICustomerGrain>(customerId).Snapshot();
        }
        catch (Exception ex)
        {
            // The customer keeps its changes (and its log records) and is called again later.
            LogFailed(_logger, customerId, ex.Message);
            RequestAfter(customerId, RetryAfter);
        }
        finally
        {
            var took = _time.GetElapsedTime(started).Ticks;
            var seen = Interlocked.Read(ref _snapshotTicks);
            Interlocked.Exchange(ref _snapshotTicks, seen + ((took - seen) / 8));
            _slots.Release();
            Interlocked.Decrement(ref _running);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Snapshots give way to the change log: {Limit} at once (appends {AppendMs:F0} ms, snapshots {SnapshotMs:F0} ms, {Waiting} waiting)")]
    private static partial void LogYield(ILogger logger, int limit, double appendMs, double snapshotMs, int waiting);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Snapshot of customer {CustomerId} failed; it keeps its changes and tries again later: {Reason}")]
    private static partial void LogFailed(ILogger logger, string customerId, string reason);
}

/// <summary>The snapshot pacer's rule for how many background snapshots may run at once: additive increase, multiplicative decrease.</summary>
public static class SnapshotPace
{
    /// <summary>The concurrency a pacer starts with.</summary>
    public const int Start = 8;

    /// <summary>A snapshot slower than this is a store falling behind, whatever the log says.</summary>
    public static readonly TimeSpan SlowSnapshot = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The next limit: halved (not below 1) while log appends take longer than <paramref name="yieldAt"/>
    /// or snapshots longer than <see cref="SlowSnapshot"/>; one more (up to <paramref name="max"/>) while
    /// snapshots wait and the store keeps up; otherwise unchanged.
    /// </summary>
    public static int Next(int limit, int max, TimeSpan appendLatency, TimeSpan snapshotLatency, bool backlog, TimeSpan yieldAt)
    {
        if (appendLatency > yieldAt || snapshotLatency > SlowSnapshot)
        {
            return Math.Max(1, limit / 2);
        }

        return backlog ? Math.Min(max, limit + 1) : Math.Min(max, limit);
    }
}
