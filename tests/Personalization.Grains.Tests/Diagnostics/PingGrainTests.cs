using Personalization.Contracts.Diagnostics;

namespace Personalization.Grains.Tests.Diagnostics;

[Collection(ClusterCollection.Name)]
public sealed class PingGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task APingGrainLivesOnTheSiloOfItsFirstCaller()
    {
        var secondary = fixture.Cluster.SecondarySilos[0];
        var key = $"placed-{Guid.NewGuid():N}";
        var viaSecondary = (IGrainFactory)fixture.Cluster.GetSiloServiceProvider(secondary.SiloAddress).GetService(typeof(IGrainFactory))!;

        var reply = await viaSecondary.GetGrain<IPingGrain>(key).Ping();

        Assert.Equal(secondary.SiloAddress.ToString(), reply.Silo);
    }

    [Fact]
    public async Task APingGrainKeepsAnsweringFromWhereItLives()
    {
        var key = $"stays-{Guid.NewGuid():N}";
        var first = await fixture.Cluster.GrainFactory.GetGrain<IPingGrain>(key).Ping();

        var second = await fixture.Cluster.GrainFactory.GetGrain<IPingGrain>(key).Ping();

        Assert.Equal(first.Silo, second.Silo);
        Assert.Contains(fixture.Cluster.Silos, silo => silo.SiloAddress.ToString() == first.Silo);
    }
}
