using Personalization.Contracts.Customers;
using Personalization.Decisioning.Customers;

namespace Personalization.Grains.Tests.Customers;

[Collection(ClusterCollection.Name)]
public sealed class CustomerGrainTests(ClusterFixture fixture)
{
    private static readonly DateTime T0 = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    private ICustomerGrain Customer(string key) => fixture.Cluster.GrainFactory.GetGrain<ICustomerGrain>(key);

    private static CustomerEvent Event(string customer, CustomerEventType type, string? id = null, string? anonymous = null) => new()
    {
        EventId = id ?? Guid.NewGuid().ToString("N"),
        CustomerId = anonymous is null ? customer : null,
        AnonymousId = anonymous,
        Type = type,
        Channel = Channel.Web,
        OccurredAt = T0,
    };

    [Fact]
    public async Task TrackedEventsShowInTheState()
    {
        var key = $"c-{Guid.NewGuid():N}";

        var result = await Customer(key).Track([Event(key, CustomerEventType.SessionStarted), Event(key, CustomerEventType.PageView)]);
        var state = await Customer(key).GetState();

        Assert.Equal(new TrackResult(TrackStatus.Applied, key, 2, 0), result);
        Assert.Equal((1L, 1L), (state!.Behaviour.Sessions, state.Behaviour.Views));
    }

    [Fact]
    public async Task ARetriedEventIsReportedAsADuplicate()
    {
        var key = $"c-{Guid.NewGuid():N}";
        var e = Event(key, CustomerEventType.SessionStarted, id: "retry-me");
        await Customer(key).Track([e]);

        var retry = await Customer(key).Track([e]);

        Assert.Equal(new TrackResult(TrackStatus.Duplicate, key, 0, 1), retry);
        Assert.Equal(1, (await Customer(key).GetState())!.Behaviour.Sessions);
    }

    [Fact]
    public async Task AnUnknownCustomerHasNoState()
    {
        Assert.Null(await Customer($"c-{Guid.NewGuid():N}").GetState());
    }

    [Fact]
    public async Task AVisitorMergedIntoACustomerForwardsLaterEvents()
    {
        var key = $"c-{Guid.NewGuid():N}";
        var visitor = $"v-{Guid.NewGuid():N}";
        var visitorKey = CustomerKeys.Anonymous(visitor);
        await Customer(visitorKey).Track([Event(key, CustomerEventType.SessionStarted, anonymous: visitor)]);

        await Customer(key).Track([Event(key, CustomerEventType.Identify) with { LinkedAnonymousId = visitor }]);
        var forwarded = await Customer(visitorKey).Track([Event(key, CustomerEventType.PageView, anonymous: visitor)]);
        var known = await Customer(key).GetState();
        var left = await Customer(visitorKey).GetState();

        Assert.Equal(new TrackResult(TrackStatus.Forward, key, 0, 0), forwarded);
        Assert.Equal(1, known!.Behaviour.Sessions);
        Assert.Equal([visitor], known.Aliases);
        Assert.Equal(key, left!.MergedInto);
        Assert.Equal(0, left.EventCount);
    }

    [Fact]
    public async Task AVisitorAlreadyMergedElsewhereKeepsItsFirstOwner()
    {
        var first = $"c-{Guid.NewGuid():N}";
        var second = $"c-{Guid.NewGuid():N}";
        var visitor = $"v-{Guid.NewGuid():N}";
        await Customer(CustomerKeys.Anonymous(visitor)).Track([Event(first, CustomerEventType.SessionStarted, anonymous: visitor)]);
        await Customer(first).Track([Event(first, CustomerEventType.Identify) with { LinkedAnonymousId = visitor }]);

        await Customer(second).Track([Event(second, CustomerEventType.Identify) with { LinkedAnonymousId = visitor }]);

        Assert.Equal(1, (await Customer(first).GetState())!.Behaviour.Sessions);
        Assert.Equal(0, (await Customer(second).GetState())!.Behaviour.Sessions);
        Assert.Equal(first, (await Customer(CustomerKeys.Anonymous(visitor)).GetState())!.MergedInto);
    }

    [Fact]
    public async Task ForgetErasesTheCustomerAndItsVisitors()
    {
        var key = $"c-{Guid.NewGuid():N}";
        var visitor = $"v-{Guid.NewGuid():N}";
        await Customer(CustomerKeys.Anonymous(visitor)).Track([Event(key, CustomerEventType.SessionStarted, anonymous: visitor)]);
        await Customer(key).Track([Event(key, CustomerEventType.Identify) with { LinkedAnonymousId = visitor }]);

        var erased = await Customer(key).Forget();

        Assert.True(erased);
        Assert.Null(await Customer(key).GetState());
        Assert.Null(await Customer(CustomerKeys.Anonymous(visitor)).GetState());
    }
}
