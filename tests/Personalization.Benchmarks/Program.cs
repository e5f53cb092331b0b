using BenchmarkDotNet.Running;
using Personalization.Benchmarks;

if (args is ["alloc-probe", var which, ..])
{
    await AllocationProbe.RunAsync(which, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200_000);
    return;
}

if (args is ["memory-probe", ..])
{
    var inv = System.Globalization.CultureInfo.InvariantCulture;
    await AllocationProbe.MemoryAsync(args.Length > 1 ? int.Parse(args[1], inv) : 20_000, args.Length > 2 ? int.Parse(args[2], inv) : 0);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ScoringBenchmarks).Assembly).Run(args);
