using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;
using Value = Personalization.V1.Value;

namespace Personalization.Server.Tests;

/// <summary>EventService and ProfileService over real gRPC: what a website team sees.</summary>
[Collection(ServerCollection.Name)]
public sealed class EventServiceTests(ServerEnvironment environment)
{
    private readonly EventService.EventServiceClient _events = new(environment.Shared.Channel);
    private readonly ProfileService.ProfileServiceClient _profiles = new(environment.Shared.Channel);

    [Fact]
    public async Task AMixedBatchBuildsTheProfileAWebsiteExpects()
    {
        var c = NewCustomer();
        var t0 = DateTime.UtcNow.AddDays(-2);

        var response = await _events.TrackBatchAsync(Batch(
            Ev.Session(c, t0),
            Ev.Of(c, EventType.PageView, t0.AddMinutes(1), Channel.Web),
            Ev.Cart(c, EventType.AddToCart, t0.AddMinutes(2), "p1", 2, 25),
            Ev.Purchase(c, t0.AddMinutes(5), 50),
            Ev.Consent(c, EventType.ConsentGranted, Channel.Email, t0),
            Ev.Of(c, EventType.MessageSent, t0.AddDays(1), Channel.Email),
            Ev.Of(c, EventType.MessageOpened, t0.AddDays(1).AddHours(1), Channel.Email),
            Ev.Traits(c, t0, ("plan", new Value { StringValue = "gold" }), ("tenure", new Value { IntValue = 14 }))));
        var profile = await _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = c });

        Assert.Equal(8, response.Accepted);
        Assert.Equal(0, response.Duplicates);
        Assert.Equal(c, profile.CustomerId);
        Assert.Equal("gold", profile.Traits["plan"].StringValue);
        Assert.Equal(14, profile.Traits["tenure"].IntValue);
        Assert.Equal(1, profile.Behaviour.Sessions7D);
        Assert.Equal(1, profile.Behaviour.Views);
        Assert.Equal(1, profile.Behaviour.Purchases);
        Assert.Equal(50, profile.Behaviour.Revenue);
        Assert.Equal(0, profile.Behaviour.CartItems);
        Assert.Equal(1, profile.Behaviour.DaysSinceLastPurchase);
        var email = Assert.Single(profile.Engagement);
        Assert.Equal((Channel.Email, 1L, 1L, 1), (email.Channel, email.Sent, email.Opened, email.Sent7D));
        var consent = Assert.Single(profile.Consents);
        Assert.Equal(["marketing"], consent.Purposes);
        Assert.Equal(8, profile.EventCount);
        Assert.Equal(168, profile.HourOfWeek.Count);
    }

    [Fact]
    public async Task AReplayedBatchChangesNothing()
    {
        var c = NewCustomer();
        var batch = Batch(Ev.Purchase(c, DateTime.UtcNow.AddHours(-1), 20), Ev.Session(c, DateTime.UtcNow.AddHours(-1)));
        await _events.TrackBatchAsync(batch);

        var replay = await _events.TrackBatchAsync(batch);
        var profile = await _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = c });

        Assert.Equal((0, 2), (replay.Accepted, replay.Duplicates));
        Assert.Equal(1, profile.Behaviour.Purchases);
        Assert.Equal(20, profile.Behaviour.Revenue);
    }

    [Fact]
    public async Task TrackSaysWhetherTheEventWasApplied()
    {
        var c = NewCustomer();
        var e = Ev.Session(c, DateTime.UtcNow);

        var first = await _events.TrackAsync(new TrackRequest { Event = e });
        var again = await _events.TrackAsync(new TrackRequest { Event = e });

        Assert.True(first.Applied);
        Assert.False(again.Applied);
        Assert.Equal(c, first.CustomerId);
    }

    [Fact]
    public async Task IdentifyMergesTheVisitorAndLaterVisitorEventsLandOnTheCustomer()
    {
        var c = NewCustomer();
        var visitor = $"visitor-{Guid.NewGuid():N}";
        var now = DateTime.UtcNow.AddMinutes(-10);
        await _events.TrackBatchAsync(Batch(
            Ev.Anonymous(visitor, EventType.SessionStarted, now),
            Ev.Anonymous(visitor, EventType.PageView, now.AddMinutes(1)),
            Ev.Anonymous(visitor, EventType.AddToCart, now.AddMinutes(2)),
            Ev.Purchase(c, now.AddMinutes(-60), 10)));
        await _events.TrackBatchAsync(Batch(Ev.Cart(null, EventType.AddToCart, now.AddMinutes(2), "p7", 1, 30, anonymousId: visitor)));

        await _events.TrackAsync(new TrackRequest { Event = Ev.Identify(c, visitor, now.AddMinutes(3)) });
        var later = await _events.TrackAsync(new TrackRequest { Event = Ev.Anonymous(visitor, EventType.PageView, now.AddMinutes(4)) });
        var profile = await _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = c });
        var byAlias = await _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = visitor });

        Assert.Equal(c, later.CustomerId);
        Assert.Equal([visitor], profile.Aliases);
        Assert.Equal(1, profile.Behaviour.Sessions);
        Assert.Equal(2, profile.Behaviour.Views);
        Assert.Equal(1, profile.Behaviour.Purchases);
        Assert.Equal(30, profile.Behaviour.CartValue);
        Assert.Equal(c, byAlias.CustomerId);
    }

    [Fact]
    public async Task LateEventsAreAppliedByEventTime()
    {
        var c = NewCustomer();
        var now = DateTime.UtcNow;
        await _events.TrackAsync(new TrackRequest { Event = Ev.Traits(c, now, ("plan", new Value { StringValue = "premium" })) });

        await _events.TrackBatchAsync(Batch(
            Ev.Traits(c, now.AddDays(-3), ("plan", new Value { StringValue = "basic" })),
            Ev.Session(c, now.AddDays(-20)),
            Ev.Purchase(c, now.AddDays(-40), 5)));
        var profile = await _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = c });

        Assert.Equal("premium", profile.Traits["plan"].StringValue);
        Assert.Equal(0, profile.Behaviour.Sessions7D);
        Assert.Equal(1, profile.Behaviour.Sessions30D);
        Assert.Equal(40, profile.Behaviour.DaysSinceLastPurchase);
        Assert.Equal(now.AddDays(-40), profile.FirstSeenAt.ToDateTime(), TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task AStreamAppliesValidEventsAndReportsTheRestByIndex()
    {
        var c = NewCustomer();
        using var call = _events.TrackStream();
        for (var i = 0; i < 1200; i++)
        {
            var e = i is 7 or 901 ? Ev.Purchase(c, DateTime.UtcNow, -1) : Ev.Of(c, EventType.PageView, DateTime.UtcNow.AddSeconds(-i), Channel.Web);
            await call.RequestStream.WriteAsync(e);
        }

        await call.RequestStream.CompleteAsync();
        var summary = await call;
        var profile = await _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = c });

        Assert.Equal(1198, summary.Accepted);
        Assert.Equal([7, 901], summary.Rejected.Select(r => r.Index));
        Assert.All(summary.Rejected, r => Assert.Equal("purchase.total.amount", r.Field));
        Assert.Equal(1198, profile.Behaviour.Views);
    }

    [Fact]
    public async Task ForgetLeavesNothingBehind()
    {
        var c = NewCustomer();
        var visitor = $"visitor-{Guid.NewGuid():N}";
        await _events.TrackAsync(new TrackRequest { Event = Ev.Anonymous(visitor, EventType.SessionStarted, DateTime.UtcNow) });
        await _events.TrackAsync(new TrackRequest { Event = Ev.Identify(c, visitor, DateTime.UtcNow) });

        var forgotten = await _profiles.ForgetProfileAsync(new ForgetProfileRequest { CustomerId = c });

        Assert.True(forgotten.Erased);
        await AssertNotFound(() => _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = c }).ResponseAsync);
        await AssertNotFound(() => _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = visitor }).ResponseAsync);
        Assert.False((await _profiles.ForgetProfileAsync(new ForgetProfileRequest { CustomerId = c })).Erased);
    }

    [Fact]
    public async Task ExportIsJsonWithTheProfileAndTheRawState()
    {
        var c = NewCustomer();
        await _events.TrackAsync(new TrackRequest { Event = Ev.Traits(c, DateTime.UtcNow, ("region", new Value { StringValue = "Zoë's town" })) });

        var export = await _profiles.ExportProfileAsync(new ExportProfileRequest { CustomerId = c });
        using var json = System.Text.Json.JsonDocument.Parse(export.Json.Memory);

        Assert.Equal(c, json.RootElement.GetProperty("customer_id").GetString());
        Assert.Equal("Zoë's town", json.RootElement.GetProperty("profile").GetProperty("traits").GetProperty("region").GetProperty("stringValue").GetString());
        Assert.Equal(1, json.RootElement.GetProperty("state").GetProperty("event_count").GetInt32());
    }

    [Fact]
    public async Task TheProfileCarriesTheChurnScoreOfTheShippedModel()
    {
        var risky = NewCustomer();
        var loyal = NewCustomer();
        await _events.TrackBatchAsync(Batch(
            Ev.Traits(risky, DateTime.UtcNow, ("contract", new Value { StringValue = "Month-to-month" }), ("tenure", new Value { IntValue = 1 }), ("internet_service", new Value { StringValue = "Fiber optic" }), ("monthly_charges", new Value { DoubleValue = 95 })),
            Ev.Traits(loyal, DateTime.UtcNow, ("contract", new Value { StringValue = "Two year" }), ("tenure", new Value { IntValue = 70 }), ("internet_service", new Value { StringValue = "DSL" }), ("monthly_charges", new Value { DoubleValue = 40 }))));

        var riskyScore = (await _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = risky })).Scores.Single(s => s.Name == "churn");
        var loyalScore = (await _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = loyal })).Scores.Single(s => s.Name == "churn");

        Assert.Equal("churn", riskyScore.Name);
        Assert.StartsWith("churn-", riskyScore.ModelVersion);
        Assert.True(riskyScore.Value > 0.5, $"risky churn {riskyScore.Value}");
        Assert.True(loyalScore.Value < 0.1, $"loyal churn {loyalScore.Value}");
    }

    [Fact]
    public async Task TheProfileCarriesTheClvAndPurchasePropensityOfTheShippedRetailModels()
    {
        var (regular, lapsed) = (NewCustomer(), NewCustomer());
        var now = DateTime.UtcNow;
        await _events.TrackBatchAsync(Batch([
            .. Enumerable.Range(0, 12).Select(i => Ev.Purchase(regular, now.AddDays(-7 - (20 * i)), 400)),
            Ev.Traits(regular, now, ("country", new Value { StringValue = "United Kingdom" })),
            Ev.Purchase(lapsed, now.AddDays(-300), 15),
            Ev.Traits(lapsed, now, ("country", new Value { StringValue = "United Kingdom" }))]));

        var scores = (await _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = regular })).Scores.ToDictionary(s => s.Name);
        var lapsedScores = (await _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = lapsed })).Scores.ToDictionary(s => s.Name);

        Assert.StartsWith("clv-onnx-", scores["clv"].ModelVersion);
        Assert.StartsWith("purchase-propensity-onnx-", scores["purchase-propensity"].ModelVersion);
        Assert.True(scores["clv"].Value > 5 * lapsedScores["clv"].Value, $"clv {scores["clv"].Value} vs lapsed {lapsedScores["clv"].Value}");
        Assert.True(scores["purchase-propensity"].Value > 0.8, $"regular propensity {scores["purchase-propensity"].Value}");
        Assert.True(lapsedScores["purchase-propensity"].Value < 0.3, $"lapsed propensity {lapsedScores["purchase-propensity"].Value}");
    }

    [Fact]
    public async Task AnUnknownCustomerIsNotFound()
    {
        await AssertNotFound(() => _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = NewCustomer() }).ResponseAsync);
        await AssertNotFound(() => _profiles.ExportProfileAsync(new ExportProfileRequest { CustomerId = NewCustomer() }).ResponseAsync);
    }

    private static async Task AssertNotFound(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    internal static string NewCustomer() => $"c-{Guid.NewGuid():N}";

    internal static TrackBatchRequest Batch(params Event[] events)
    {
        var request = new TrackBatchRequest();
        request.Events.AddRange(events);
        return request;
    }
}

/// <summary>Builds contract events for tests.</summary>
internal static class Ev
{
    public static Event Of(string? customer, EventType type, DateTime at, Channel channel = Channel.Unspecified) => new()
    {
        EventId = Guid.NewGuid().ToString("N"),
        CustomerId = customer ?? "",
        Type = type,
        Channel = channel,
        OccurredAt = Timestamp.FromDateTime(DateTime.SpecifyKind(at, DateTimeKind.Utc)),
    };

    public static Event Session(string customer, DateTime at) => Of(customer, EventType.SessionStarted, at, Channel.Web);

    public static Event Anonymous(string visitor, EventType type, DateTime at)
    {
        var e = Of(null, type, at, Channel.Web);
        e.AnonymousId = visitor;
        if (type == EventType.AddToCart)
        {
            e.Cart = new CartDetail { Item = new LineItem { ProductId = "p0", Quantity = 1, UnitPrice = new Money { Amount = 0, Currency = "EUR" } } };
        }

        return e;
    }

    public static Event Purchase(string customer, DateTime at, double amount)
    {
        var e = Of(customer, EventType.Purchase, at, Channel.Web);
        e.Purchase = new PurchaseDetail { OrderId = Guid.NewGuid().ToString("N"), Total = new Money { Amount = amount, Currency = "EUR" } };
        return e;
    }

    public static Event Cart(string? customer, EventType type, DateTime at, string product, int quantity, double price, string? anonymousId = null)
    {
        var e = Of(customer, type, at, Channel.Web);
        e.AnonymousId = anonymousId ?? "";
        e.Cart = new CartDetail { Item = new LineItem { ProductId = product, Quantity = quantity, UnitPrice = new Money { Amount = price, Currency = "EUR" } } };
        return e;
    }

    public static Event Consent(string customer, EventType type, Channel channel, DateTime at)
    {
        var e = Of(customer, type, at, channel);
        e.Consent = new ConsentDetail { Purpose = "marketing" };
        return e;
    }

    public static Event Traits(string customer, DateTime at, params (string Name, Value Value)[] traits)
    {
        var e = Of(customer, EventType.TraitsSet, at);
        e.Traits = new TraitsDetail();
        foreach (var (name, value) in traits)
        {
            e.Traits.Traits[name] = value;
        }

        return e;
    }

    public static Event Identify(string customer, string visitor, DateTime at)
    {
        var e = Of(customer, EventType.Identify, at);
        e.Identify = new IdentifyDetail { AnonymousId = visitor };
        return e;
    }
}
