using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;
using static Personalization.Server.Tests.EventServiceTests;
using Value = Personalization.V1.Value;

namespace Personalization.Server.Tests;

/// <summary>Bad events get INVALID_ARGUMENT naming the event and the field, and change nothing.</summary>
[Collection(ServerCollection.Name)]
public sealed class EventValidationTests(ServerEnvironment environment)
{
    private readonly EventService.EventServiceClient _events = new(environment.Shared.Channel);
    private readonly ProfileService.ProfileServiceClient _profiles = new(environment.Shared.Channel);

    public static TheoryData<string, string> BadEvents => new()
    {
        { "missing-event-id", "event.event_id: is required." },
        { "missing-customer", "event.customer_id: customer_id or anonymous_id is required." },
        { "unknown-type", "event.type: unknown event type 99." },
        { "valueless-property", "event.properties[size]: has no value" },
        { "negative-amount", "event.purchase.total.amount: must not be negative" },
        { "nan-amount", "event.purchase.total.amount: must be a finite number" },
        { "infinite-trait", "event.traits.traits[score]: must be a finite number" },
        { "far-future", "event.occurred_at:" },
        { "too-many-properties", "event.properties: at most 50 entries, got 51." },
        { "wrong-payload", "event.purchase: is not a payload of PageView events." },
        { "zero-quantity", "event.cart.item.quantity: must be at least 1, got 0." },
    };

    [Theory]
    [MemberData(nameof(BadEvents))]
    public async Task ABadEventIsRejectedNamingTheFieldAndChangesNothing(string kind, string expected)
    {
        var c = NewCustomer();
        var e = Bad(kind, c);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _events.TrackAsync(new TrackRequest { Event = e }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail);
        await AssertUnknown(c);
    }

    [Fact]
    public async Task ABatchWithOneBadEventAppliesNoneAndNamesTheIndex()
    {
        var c = NewCustomer();
        var batch = Batch(Ev.Session(c, DateTime.UtcNow), Ev.Session(c, DateTime.UtcNow), Ev.Purchase(c, DateTime.UtcNow, double.NaN), Ev.Session(c, DateTime.UtcNow));

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _events.TrackBatchAsync(batch));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("1 of 4 events rejected, none applied: events[2].purchase.total.amount: must be a finite number", error.Status.Detail);
        await AssertUnknown(c);
    }

    [Fact]
    public async Task AnOversizedBatchIsRejected()
    {
        var c = NewCustomer();
        var batch = Batch([.. Enumerable.Range(0, 1001).Select(_ => Ev.Session(c, DateTime.UtcNow))]);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _events.TrackBatchAsync(batch));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("events: at most 1000 per batch, got 1001.", error.Status.Detail);
        await AssertUnknown(c);
    }

    [Fact]
    public async Task AMissingEventIsRejected()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _events.TrackAsync(new TrackRequest()));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("event: is required.", error.Status.Detail);
    }

    [Fact]
    public async Task AnOverlongCustomerIdIsRejectedByProfiles()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = new string('c', 129) }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("customer_id:", error.Status.Detail);
    }

    private async Task AssertUnknown(string customer)
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = customer }));
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    private static Event Bad(string kind, string c)
    {
        var now = DateTime.UtcNow;
        switch (kind)
        {
            case "missing-event-id":
                var noId = Ev.Session(c, now);
                noId.EventId = "";
                return noId;
            case "missing-customer":
                return Ev.Of(null, EventType.PageView, now);
            case "unknown-type":
                return Ev.Of(c, (EventType)99, now);
            case "valueless-property":
                var e = Ev.Session(c, now);
                e.Properties["size"] = new Value();
                return e;
            case "negative-amount":
                return Ev.Purchase(c, now, -5);
            case "nan-amount":
                return Ev.Purchase(c, now, double.NaN);
            case "infinite-trait":
                return Ev.Traits(c, now, ("score", new Value { DoubleValue = double.PositiveInfinity }));
            case "far-future":
                return Ev.Session(c, now.AddDays(2));
            case "too-many-properties":
                var many = Ev.Session(c, now);
                for (var i = 0; i < 51; i++)
                {
                    many.Properties[$"p{i}"] = new Value { IntValue = i };
                }

                return many;
            case "wrong-payload":
                var page = Ev.Purchase(c, now, 5);
                page.Type = EventType.PageView;
                return page;
            default:
                return Ev.Cart(c, EventType.AddToCart, now, "p1", 0, 5);
        }
    }
}
