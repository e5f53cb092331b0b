using System.Diagnostics;
using Grpc.Core;

namespace Personalization.Load;

/// <summary>Latencies of one run, in Stopwatch ticks; percentiles by rank over all of them.</summary>
public sealed class Latencies
{
    private readonly List<long> _ticks = [];

    public int Count => _ticks.Count;

    public void Add(long ticks) => _ticks.Add(ticks);

    public void AddRange(Latencies other) => _ticks.AddRange(other._ticks);

    /// <summary>The p-th percentile (0 to 100) in milliseconds; 0 when empty.</summary>
    public double Percentile(double p)
    {
        if (_ticks.Count == 0)
        {
            return 0;
        }

        _ticks.Sort();
        var rank = (int)Math.Ceiling(p / 100 * _ticks.Count) - 1;
        return Milliseconds(_ticks[Math.Clamp(rank, 0, _ticks.Count - 1)]);
    }

    public static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

/// <summary>What one measured run did.</summary>
public sealed record RunResult(long Calls, long Items, long Errors, double Seconds, Latencies Latencies)
{
    /// <summary>Paced runs: how late each call started against its schedule (the generator's own lag).</summary>
    public Latencies? StartLag { get; init; }

    public double CallsPerSecond => Calls / Seconds;

    public double ItemsPerSecond => Items / Seconds;
}

/// <summary>
/// Load shapes. Closed loop: <c>concurrency</c> callers each issue the next call when the last one
/// answers (throughput at that concurrency). Paced: calls start on a fixed schedule whatever the
/// answers do, and latency counts from the scheduled start, so a stall is not hidden by callers
/// that waited (no coordinated omission).
/// </summary>
public static class Measure
{
    /// <summary>A call; returns how many items it carried (events in a batch, 1 for a decision).</summary>
    public delegate Task<int> Call(int worker, long sequence);

    /// <summary>Runs for <paramref name="duration"/>, or until <paramref name="limit"/> calls have started.</summary>
    public static async Task<RunResult> ClosedLoopAsync(int concurrency, TimeSpan duration, Call call, TimeSpan? warmUp = null, long? limit = null)
    {
        if (warmUp is { } w && w > TimeSpan.Zero)
        {
            await ClosedLoopAsync(concurrency, w, call);
        }

        var sequence = 0L;
        var (items, errors) = (0L, 0L);
        var perWorker = Enumerable.Range(0, concurrency).Select(_ => new Latencies()).ToArray();
        var clock = Stopwatch.StartNew();
        var end = duration.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(worker => Task.Run(async () =>
        {
            var latencies = perWorker[worker];
            while (clock.ElapsedTicks < end)
            {
                var next = Interlocked.Increment(ref sequence);
                if (next > limit)
                {
                    break;
                }

                var start = clock.ElapsedTicks;
                try
                {
                    var n = await call(worker, next);
                    Interlocked.Add(ref items, n);
                    latencies.Add(clock.ElapsedTicks - start);
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })));
        var seconds = clock.Elapsed.TotalSeconds;
        var all = new Latencies();
        foreach (var l in perWorker)
        {
            all.AddRange(l);
        }

        return new RunResult(all.Count, items, errors, seconds, all);
    }

    /// <summary>Starts <paramref name="rate"/> calls per second for <paramref name="duration"/>; at most <paramref name="maxInFlight"/> at once (beyond that a call counts as an error).</summary>
    public static async Task<RunResult> PacedAsync(double rate, TimeSpan duration, Call call, int maxInFlight = 4096)
    {
        var total = (long)(rate * duration.TotalSeconds);
        var latencies = new Latencies();
        var lag = new Latencies();
        var (items, errors, inFlight) = (0L, 0L, 0);
        var pending = new List<Task>();
        var clock = Stopwatch.StartNew();
        for (var i = 0L; i < total; i++)
        {
            var due = (long)(i / rate * Stopwatch.Frequency);
            var wait = due - clock.ElapsedTicks;
            if (wait > Stopwatch.Frequency / 1000)
            {
                await Task.Delay(TimeSpan.FromTicks(wait * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
            }

            if (Interlocked.Increment(ref inFlight) > maxInFlight)
            {
                Interlocked.Decrement(ref inFlight);
                Interlocked.Increment(ref errors);
                continue;
            }

            var sequence = i;
            lag.Add(Math.Max(0, clock.ElapsedTicks - due));
            pending.Add(Task.Run(async () =>
            {
                try
                {
                    var n = await call(0, sequence);
                    var done = clock.ElapsedTicks;
                    Interlocked.Add(ref items, n);
                    lock (latencies)
                    {
                        latencies.Add(done - due);
                    }
                }
                catch (RpcException)
                {
                    Interlocked.Increment(ref errors);
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
            }));
        }

        await Task.WhenAll(pending);
        return new RunResult(latencies.Count, items, errors, clock.Elapsed.TotalSeconds, latencies) { StartLag = lag };
    }
}

/// <summary>CPU time and memory of a process, read between runs (the server's, or this one's).</summary>
public sealed class ProcessMeter(int processId)
{
    private TimeSpan _cpu;
    private long _startTicks;

    public void Start()
    {
        _cpu = Cpu();
        _startTicks = Stopwatch.GetTimestamp();
    }

    /// <summary>Cores busy on average since <see cref="Start"/> (1.0 = one core the whole time).</summary>
    public double CoresSinceStart()
    {
        var wall = Stopwatch.GetElapsedTime(_startTicks);
        return (Cpu() - _cpu).TotalSeconds / wall.TotalSeconds;
    }

    public long ResidentBytes() => Status("VmRSS:");

    public long PeakResidentBytes() => Status("VmHWM:");

    private TimeSpan Cpu()
    {
        using var process = Process.GetProcessById(processId);
        return process.TotalProcessorTime;
    }

    // /proc/<pid>/status reports kB; Linux only, like the machines this runs on.
    private long Status(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
