using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Personalization.Benchmarks.ScoringBenchmarks).Assembly).Run(args);
