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
