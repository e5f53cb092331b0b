using System.Diagnostics;
using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;
using Xunit.Abstractions;

namespace Personalization.Server.Tests;

/// <summary>
/// A key's rate holds across the cluster: three real servers (silos of one cluster on Azure Table membership,
/// each with its own gRPC endpoint) hammered on one key together admit about the key's rate, not three times
/// it; a limit changed by a rolling restart takes effect.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ClusterRateLimitTests(ServerEnvironment environment, ITestOutputHelper output)
{
    private const string KeyName = "shared-site";
    // Hammered for 6 s; counted over the last 4 s, after the burst is spent and the callers are warm. The bursts
    // are 300 ms of the rate: a smaller one loses tokens whenever a loaded machine delays every silo's next ask.
    private static readonly TimeSpan Hammer = TimeSpan.FromSeconds(6);
    private static readonly TimeSpan CountFrom = TimeSpan.FromSeconds(2);
    private readonly string _key = $"shared-{Guid.NewGuid():N}";

    [Fact]
    public async Task ThreeSilosHoldAKeyToItsClusterWideRateAndALimitChangeTakesEffect()
    {
        var cluster = Cluster();
        var servers = new List<TestServer>();
        try
        {
            foreach (var _ in Enumerable.Range(0, 3))
            {
                servers.Add(await TestServer.StartAsync(Silo(cluster, rate: 100, burst: 30)));
            }

            var (admitted, refused) = await HammerAsync(servers);

            output.WriteLine($"100/s: admitted {admitted} in 4 s, refused {refused.Count} in 6 s");

            // 100/s over 4 s: 400 within 10% (per silo it would be about 1,200).
            Assert.True(admitted is >= 360 and <= 440, $"admitted {admitted} in 4 s at 100/s");
            Assert.True(refused.Count > admitted, $"the key was not pushed past its rate: {refused.Count} refused");
            Assert.All(refused.Take(20), e => Assert.Equal(
                $"key '{KeyName}' is over its limit of 100 requests/s (burst 30) across the cluster; retry after a short pause.", e.Status.Detail));

            // A rolling restart of one silo with a lower limit: the newest settings win at the key's owner.
            await servers[2].DisposeAsync();
            servers[2] = await TestServer.StartAsync(Silo(cluster, rate: 40, burst: 12));
            var (afterChange, _) = await HammerAsync(servers);

            output.WriteLine($"40/s after the change: admitted {afterChange} in 4 s");

            // 40/s over 4 s: 160 within 10%.
            Assert.True(afterChange is >= 144 and <= 176, $"admitted {afterChange} in 4 s at 40/s");
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }

    // Two callers a silo, all at once, for the window; a refused caller pauses briefly as the hint says.
    private async Task<(int Admitted, List<RpcException> Refused)> HammerAsync(IReadOnlyList<TestServer> servers)
    {
        var admitted = 0;
        var refused = new List<RpcException>();
        var countTo = CountFrom + TimeSpan.FromSeconds(4);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(servers.SelectMany(s => Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            // A read that is not audited and touches no customer: the limit is all that is measured.
            var offers = new OfferService.OfferServiceClient(s.Channel.Sending(_key));
            while (clock.Elapsed < Hammer)
            {
                try
                {
                    var sent = clock.Elapsed;
                    try
                    {
                        await offers.GetOfferAsync(new GetOfferRequest { OfferId = "no-such-offer" });
                    }
                    catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
                    {
                        // Admitted: the service ran and found nothing.
                    }

                    if (sent >= CountFrom && sent < countTo)
                    {
                        Interlocked.Increment(ref admitted);
                    }
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
                {
                    lock (refused)
                    {
                        refused.Add(e);
                    }

                    await Task.Delay(5);
                }
            }
        }))));
        return (admitted, refused);
    }

    private Dictionary<string, string?> Cluster()
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["Cluster:ServiceId"] = settings["Cluster:ClusterId"];
        return settings;
    }

    private Dictionary<string, string?> Silo(Dictionary<string, string?> cluster, int rate, int burst)
    {
        var settings = new Dictionary<string, string?>(cluster)
        {
            ["Cluster:SiloPort"] = FreePorts.Next().ToString(),
            ["Cluster:GatewayPort"] = FreePorts.Next().ToString(),
            [$"Auth:Keys:{KeyName}:RequestsPerSecond"] = rate.ToString(),
            [$"Auth:Keys:{KeyName}:Burst"] = burst.ToString(),
        };
        return TestServer.WithKeys(settings, (KeyName, _key, "admin"));
    }
}
