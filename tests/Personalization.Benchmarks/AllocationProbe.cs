using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Personalization.Benchmarks;

/// <summary>
/// Which types a grain-level call allocates: runs one <see cref="GrainBenchmarks"/> method in a loop while an in-process
/// listener counts the runtime's allocation samples (one event per ~100 KB allocated, naming the type that crossed the
/// threshold), then prints each type's share of the samples and the bytes per call that share stands for.
/// Run: <c>dotnet run -c Release --project tests/Personalization.Benchmarks -- alloc-probe decide|track|empty [calls]</c>.
/// </summary>
public static class AllocationProbe
{
    public static async Task RunAsync(string which, int calls)
    {
        var bench = new GrainBenchmarks();
        bench.Setup();
        Func<Task> call = which switch
        {
            "decide" => () => bench.Decide(),
            "track" => () => bench.TrackPageView(),
            "empty" => () => bench.EmptyGrainCall(),
            _ => throw new ArgumentException($"alloc-probe: unknown call '{which}' (decide, track, empty)."),
        };
        for (var i = 0; i < 20_000; i++)
        {
            await call();
        }

        using var listener = new AllocationListener();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        for (var i = 0; i < calls; i++)
        {
            await call();
        }

        var perCall = (GC.GetTotalAllocatedBytes(precise: true) - before) / (double)calls;
        listener.Dispose();
        var total = listener.Samples.Values.Sum();
        Console.WriteLine($"{which}: {perCall:F0} bytes allocated per call over {calls:N0} calls; {total:N0} allocation samples");
        foreach (var (type, count) in listener.Samples.OrderByDescending(p => p.Value).Take(40))
        {
            Console.WriteLine($"{count * 100.0 / total,6:F1}%  {count * perCall / total,7:F0} B  {type}");
        }

        // No orderly shutdown: the process ends here, and the memory provider's grains would leave before the customers' closing snapshots.
    }

    /// <summary>
    /// Managed bytes a customer costs in the grain: the heap after a full collection, before and after seeding
    /// <paramref name="customers"/> customers (8 events each), then after deciding each once. With a pause (seconds),
    /// the process waits before exiting so <c>dotnet-gcdump</c> can read what the bytes are.
    /// </summary>
    public static async Task MemoryAsync(int customers, int pauseSeconds)
    {
        var bench = new GrainBenchmarks();
        bench.Setup();
        var before = Heap();
        await Each(customers, i => bench.SeedAsync(1_000_000 + i, decide: false));
        var seeded = Heap();
        Console.WriteLine($"seeded: {(seeded - before) / (double)customers:F0} managed bytes per customer ({customers:N0} customers, 8 events each)");
        await Each(customers, i => bench.SeedAsync(2_000_000 + i, decide: false));
        await Each(customers, i => bench.DecideOnce(2_000_000 + i));
        var decided = Heap();
        Console.WriteLine($"seeded and decided once: {(decided - seeded) / (double)customers:F0} managed bytes per customer");
        if (pauseSeconds > 0)
        {
            Console.WriteLine($"pid {Environment.ProcessId}: waiting {pauseSeconds} s for a heap dump");
            await Task.Delay(TimeSpan.FromSeconds(pauseSeconds));
        }
    }

    private static long Heap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static async Task Each(int count, Func<int, Task> call)
    {
        for (var i = 0; i < count; i += 64)
        {
            await Task.WhenAll(Enumerable.Range(i, Math.Min(64, count - i)).Select(call));
        }
    }

    private sealed class AllocationListener : EventListener
    {
        public ConcurrentDictionary<string, long> Samples { get; } = new();

        protected override void OnEventSourceCreated(EventSource source)
        {
            if (source.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(source, EventLevel.Verbose, (EventKeywords)0x1); // GC keyword: AllocationTick is verbose
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true && e.Payload is { } payload && e.PayloadNames is { } names)
            {
                var type = payload[names.IndexOf("TypeName")] as string ?? "?";
                Samples.AddOrUpdate(type, 1, (_, n) => n + 1);
            }
        }
    }
}
