using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>
/// Events flow into a two-silo cluster of real server processes (Azure Table membership, Azurite storage)
/// while one silo is SIGKILLed. With the default settings every acknowledged event is in the dead
/// silo's change log, which the survivor replays: no acknowledged event is lost and none is applied
/// twice (the sender retries what was not acknowledged), and each customer ends with exactly the
/// events sent to it.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class IngestionFaultTests(ServerEnvironment environment)
{
    private const int Customers = 300;
    private const int EventsPerCustomer = 20;
    private const int BatchSize = 100;

    [Fact]
    public async Task KillingASiloDuringIngestionLosesNoAcknowledgedEvent()
    {
        var silos = new SiloProcesses(environment.Azurite);
        var (portA, portB) = (FreePorts.Next(), FreePorts.Next());
        await using var survivor = await silos.StartAsync(portA);
        var victim = await silos.StartAsync(portB);
        try
        {
            var (grpc, invoker) = SiloProcesses.Client(portA);
            using var _ = grpc;
            var events = new EventService.EventServiceClient(invoker);
            var cohort = Guid.NewGuid().ToString("N")[..8];
            var at = DateTime.UtcNow.AddHours(-1);

            // Each batch spans many customers, so it touches grains on both silos.
            var batches = Enumerable.Range(0, Customers * EventsPerCustomer)
                .Select(i => Ev.Of($"ingest-{cohort}-{i % Customers}", EventType.PageView, at.AddMilliseconds(i), Channel.Web))
                .Chunk(BatchSize)
                .ToList();
            var acknowledged = 0;
            var retried = 0;
            var next = -1;
            var killed = new TaskCompletionSource();

            async Task SenderAsync()
            {
                int index;
                while ((index = Interlocked.Increment(ref next)) < batches.Count)
                {
                    var batch = new TrackBatchRequest { Events = { batches[index] } };
                    var deadline = DateTime.UtcNow.AddMinutes(4);
                    while (true)
                    {
                        try
                        {
                            await events.TrackBatchAsync(batch, deadline: DateTime.UtcNow.AddSeconds(30));
                            break;
                        }
                        catch (RpcException) when (DateTime.UtcNow < deadline)
                        {
                            // Not acknowledged (its silo died mid-call, or the cluster has not yet
                            // declared it dead): send the same batch again; duplicates are dropped.
                            Interlocked.Increment(ref retried);
                            await Task.Delay(250);
                        }
                    }

                    if (Interlocked.Add(ref acknowledged, BatchSize) >= batches.Count * BatchSize / 4)
                    {
                        killed.TrySetResult();
                    }
                }
            }

            var senders = Enumerable.Range(0, 4).Select(_ => SenderAsync()).ToList();
            await killed.Task;
            await victim.DisposeAsync(); // SIGKILL mid-ingestion: no graceful shutdown, nothing flushed
            var acknowledgedAtKill = Volatile.Read(ref acknowledged);
            await Task.WhenAll(senders);

            Assert.InRange(acknowledgedAtKill, batches.Count * BatchSize / 4, batches.Count * BatchSize - 1);
            var profiles = new ProfileService.ProfileServiceClient(invoker);
            var counts = new List<long>();
            foreach (var c in Enumerable.Range(0, Customers))
            {
                counts.Add((await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = $"ingest-{cohort}-{c}" })).EventCount);
            }

            Assert.All(counts, n => Assert.Equal(EventsPerCustomer, n));
        }
        finally
        {
            await victim.DisposeAsync();
        }
    }
}
