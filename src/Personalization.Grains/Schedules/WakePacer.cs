using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Personalization.Grains.Schedules;

/// <summary>
/// The silo's gate for journey wake-ups: every wake shard on the silo takes a slot before it wakes a customer
/// and gives it back with how long the wake took and whether it failed. How many wakes run at once adapts to
/// the answers (<see cref="WakePace"/>): while wakes come back within <see cref="WakeScheduleOptions.SlowWake"/>
/// and wait for a slot, the limit grows; a window of slow wakes, or one in which more than a tenth failed, halves it. So a silo that
/// suddenly owns far more work than its store can take (the survivor of a lost silo, waking the dead silo's
/// customers while it recovers their logs) slows to what the store answers instead of queueing thousands of
/// calls that time out and are all tried again. The recovery of a gone silo's change log takes its slots here
/// too (<see cref="Customers.CustomerLogRecoveryGrain"/>), so both slow down together. No timer: the limit is adjusted as wakes finish.
/// </summary>
public sealed partial class WakePacer
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _waiters = new();
    private readonly WakeScheduleOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<WakePacer> _logger;
    private int _limit;
    private int _running;
    private long _windowStart;
    private WakePace.Window _window;

    public WakePacer(IOptions<WakeScheduleOptions> options, TimeProvider time, ILogger<WakePacer> logger)
    {
        _options = options.Value;
        _time = time;
        _logger = logger;
        _limit = Math.Min(WakePace.Start, _options.SiloConcurrency);
        _windowStart = time.GetTimestamp();
    }

    /// <summary>Wakes allowed at once on this silo right now.</summary>
    public int Limit
    {
        get
        {
            lock (_lock)
            {
                return _limit;
            }
        }
    }

    /// <summary>Times the limit was halved since the silo started.</summary>
    public long Yields { get; private set; }

    /// <summary>Waits for a slot (at once while fewer than <see cref="Limit"/> wakes run).</summary>
    public Task EnterAsync()
    {
        lock (_lock)
        {
            if (_running < _limit)
            {
                _running++;
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
            return waiter.Task;
        }
    }

    /// <summary>Runs <paramref name="call"/> with a slot: waits for one, times the call, gives it back (failed if it threw).</summary>
    public async Task RunAsync(Func<Task> call)
    {
        await EnterAsync();
        var started = _time.GetTimestamp();
        try
        {
            await call();
        }
        catch
        {
            Exit(_time.GetElapsedTime(started), failed: true);
            throw;
        }

        Exit(_time.GetElapsedTime(started), failed: false);
    }

    /// <summary>Gives a slot back: the wake took <paramref name="took"/> and <paramref name="failed"/> or not.</summary>
    public void Exit(TimeSpan took, bool failed)
    {
        var released = new List<TaskCompletionSource>();
        int before, after;
        lock (_lock)
        {
            _running--;
            _window = _window.With(took, failed, _waiters.Count > 0);
            before = _limit;
            var now = _time.GetTimestamp();
            if (_time.GetElapsedTime(_windowStart, now) >= WakePace.AdjustEvery)
            {
                _limit = WakePace.Next(_limit, _options.SiloConcurrency, _window, _options.SlowWake);
                (_window, _windowStart) = (default, now);
                Yields += _limit < before ? 1 : 0;
            }

            after = _limit;
            while (_running < _limit && _waiters.Count > 0)
            {
                _running++;
                released.Add(_waiters.Dequeue());
            }
        }

        foreach (var waiter in released)
        {
            waiter.SetResult();
        }

        if (after < before)
        {
            LogYield(_logger, after, took.TotalMilliseconds);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Journey wake-ups give way to a slow store: {Limit} at once on this silo (the last wake took {TookMs:F0} ms; slow or failed wakes)")]
    private static partial void LogYield(ILogger logger, int limit, double tookMs);
}

/// <summary>The wake pacer's rule: additive-multiplicative increase while the store keeps up, halving when it does not.</summary>
public static class WakePace
{
    /// <summary>The limit a silo starts with.</summary>
    public const int Start = 64;

    /// <summary>The limit never goes below this.</summary>
    public const int Floor = 2;

    /// <summary>How often the limit is adjusted (at the first wake to finish after it).</summary>
    public static readonly TimeSpan AdjustEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// The next limit after a window: halved (not below <see cref="Floor"/>) when more than a tenth of its wakes
    /// failed (one customer that fails each time it is tried is not an overloaded store) or its wakes took longer
    /// than <paramref name="slowWake"/> on average; grown by an eighth (at least one, at most to
    /// <paramref name="max"/>) when wakes waited for a slot; otherwise unchanged (an idle silo does not grow a
    /// limit it never tested).
    /// </summary>
    public static int Next(int limit, int max, Window window, TimeSpan slowWake)
    {
        if (window.Failed * 10 > window.Finished || window.Mean > slowWake)
        {
            return Math.Clamp(limit / 2, Math.Min(Floor, max), max);
        }

        return window.Backlog ? Math.Min(max, limit + Math.Max(1, limit / 8)) : Math.Min(max, limit);
    }

    /// <summary>What the wakes that finished in one adjustment window showed.</summary>
    public readonly record struct Window(int Finished, int Failed, TimeSpan Total, bool Backlog)
    {
        /// <summary>The mean time of the window's wakes (zero for none).</summary>
        public TimeSpan Mean => Finished == 0 ? TimeSpan.Zero : Total / Finished;

        /// <summary>The window with one more wake: its time, whether it failed, whether wakes were waiting for a slot.</summary>
        public Window With(TimeSpan took, bool failed, bool waiting) =>
            new(Finished + 1, Failed + (failed ? 1 : 0), Total + took, Backlog || waiting);
    }
}
