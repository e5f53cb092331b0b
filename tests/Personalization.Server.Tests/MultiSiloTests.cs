using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>Two servers with the same cluster id on Azure Table membership form one cluster: a call to one reaches a grain on the other.</summary>
[Collection(ServerCollection.Name)]
public sealed class MultiSiloTests(ServerEnvironment environment)
{
    [Fact]
    public async Task ACallToOneSiloReachesAGrainHostedOnTheOther()
    {
        var clusterId = $"cluster-{Guid.NewGuid():N}";
        await using var first = await TestServer.StartAsync(SharedClusterSettings(clusterId));
        await using var second = await TestServer.StartAsync(SharedClusterSettings(clusterId));
        var viaFirst = new PingService.PingServiceClient(first.Channel);
        var viaSecond = new PingService.PingServiceClient(second.Channel);

        // The ping grain prefers its first caller's silo, so this places it on the second silo.
        var placed = await viaSecond.PingAsync(new PingRequest { GrainKey = "cross-silo" });
        var crossed = await viaFirst.PingAsync(new PingRequest { GrainKey = "cross-silo" });

        Assert.Equal(placed.Info.GatewaySilo, placed.Info.GrainSilo);
        Assert.NotEqual(placed.Info.GatewaySilo, crossed.Info.GatewaySilo);
        Assert.Equal(placed.Info.GrainSilo, crossed.Info.GrainSilo);
    }

    private Dictionary<string, string?> SharedClusterSettings(string clusterId)
    {
        var settings = TestServer.Settings(environment.Azurite, container: "multi-silo");
        settings["Cluster:ClusterId"] = clusterId;
        settings["Cluster:ServiceId"] = clusterId;
        settings["Cluster:SiloPort"] = FreePorts.Next().ToString();
        settings["Cluster:GatewayPort"] = FreePorts.Next().ToString();
        return settings;
    }
}
