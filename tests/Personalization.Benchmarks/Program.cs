using BenchmarkDotNet.Running;
using Personalization.Benchmarks;

if (args is ["alloc-probe", var which, ..])
{
    await AllocationProbe.RunAsync(which, args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 200_000);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ScoringBenchmarks).Assembly).Run(args);
