using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Personalization.Contracts.Persistence;
using Personalization.Testing;

// Usage: dotnet run -c Release --project tests/Personalization.StorageMeasure -- [writers] [seconds] [stateBytes]
// For each durable provider: a real server on a fresh on-disk Azurite (as deploy/local/run.sh keeps it),
// its grain storage as configured by the server, then `writers` concurrent loops that write and read
// back a state of `stateBytes` random bytes, each over its own grains.
var writers = args.Length > 0 ? int.Parse(args[0]) : 16;
var seconds = args.Length > 1 ? int.Parse(args[1]) : 15;
var stateBytes = args.Length > 2 ? int.Parse(args[2]) : 8 * 1024;
const int GrainsPerWriter = 64;

Console.WriteLine($"{writers} writers, {seconds} s per phase, {stateBytes:N0}-byte state, {GrainsPerWriter} grains per writer");
foreach (var provider in new[] { "AzureBlob", "AzureTable" })
{
    await using var azurite = new AzuriteFixture { Persistent = true };
    await azurite.InitializeAsync();
    var settings = TestServer.Settings(azurite);
    settings["Storage:Provider"] = provider;
    await using var server = await TestServer.StartAsync(settings);
    var storage = server.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);

    var states = Enumerable.Range(0, writers * GrainsPerWriter)
        .Select(i => (Grain: GrainId.Create("measure", $"customer-{i}"), State: new GrainState<byte[]> { State = RandomBytes(stateBytes) }))
        .ToArray();

    // Warm-up: every grain written once, so the records (and the container or table) exist before timing.
    await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
    {
        for (var n = 0; n < GrainsPerWriter; n++)
        {
            await storage.WriteStateAsync("customer", states[Slot(w, n)].Grain, states[Slot(w, n)].State);
        }
    }));
    var writes = await Run(writers, TimeSpan.FromSeconds(seconds), (w, n) => storage.WriteStateAsync("customer", states[Slot(w, n)].Grain, states[Slot(w, n)].State));
    var reads = await Run(writers, TimeSpan.FromSeconds(seconds), (w, n) => storage.ReadStateAsync("customer", states[Slot(w, n)].Grain, new GrainState<byte[]>()));
    Console.WriteLine($"{provider,-10} write {writes}");
    Console.WriteLine($"{provider,-10} read  {reads}");
}

static int Slot(int writer, int n) => writer * GrainsPerWriter + n % GrainsPerWriter;

static byte[] RandomBytes(int count)
{
    var bytes = new byte[count];
    Random.Shared.NextBytes(bytes);
    return bytes;
}

static async Task<Result> Run(int writers, TimeSpan duration, Func<int, int, Task> operation)
{
    var latencies = new List<double>[writers];
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, writers).Select(async w =>
    {
        latencies[w] = [];
        for (var n = 0; clock.Elapsed < duration; n++)
        {
            var started = Stopwatch.GetTimestamp();
            await operation(w, n);
            latencies[w].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }));

    var all = latencies.SelectMany(l => l).Order().ToArray();
    return new Result(all.Length / clock.Elapsed.TotalSeconds, all[all.Length / 2], all[(int)(all.Length * 0.99)]);
}

internal sealed record Result(double PerSecond, double P50, double P99)
{
    public override string ToString() => $"{PerSecond,8:N0}/s  p50 {P50,6:N1} ms  p99 {P99,6:N1} ms";
}
