using Personalization.Contracts.Customers;
using Personalization.Decisioning.Customers;

namespace Personalization.Grains.Tests.Customers;

[Collection(ClusterCollection.Name)]
public sealed class ChurnScoreTests(ClusterFixture fixture)
{
    [Fact]
    public async Task WithoutAnActiveChurnModelThereIsNoScore()
    {
        var key = $"c-{Guid.NewGuid():N}";
        await fixture.Cluster.GrainFactory.GetGrain<ICustomerGrain>(key).Track(
        [
            new CustomerEvent { EventId = "e1", CustomerId = key, Type = CustomerEventType.SessionStarted, OccurredAt = DateTime.UtcNow },
        ]);

        Assert.Null(await fixture.Cluster.GrainFactory.GetGrain<ICustomerGrain>(key).GetChurnScore());
    }
}
