using System.Text.Json;
using Azure.Storage.Queues;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>Journeys over real gRPC on a real server with Azurite: the abandoned-cart example, exits, lifecycle, bad definitions.</summary>
[Collection(ServerCollection.Name)]
public sealed class JourneyTests(ServerEnvironment environment)
{
    // How stale a silo's journey definitions may be (JourneyCache.MaxAge) plus a margin.
    private static readonly TimeSpan CacheAge = TimeSpan.FromMilliseconds(1200);

    /// <summary>The shipped example with this test's offer and id, and its hour-long wait made short.</summary>
    internal static Journey AbandonedCart(string offer, TimeSpan wait)
    {
        var journey = JsonParser.Default.Parse<Journey>(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "examples", "journeys", "abandoned-cart.json")));
        journey.JourneyId = $"cart-{Guid.NewGuid():N}"[..20];
        journey.OfferIds.Clear();
        journey.OfferIds.Add(offer);
        journey.Steps[0].Wait.Duration = Duration.FromTimeSpan(wait);
        return journey;
    }

    /// <summary>A customer who consented to email and push and whose local time is around noon (outside quiet hours).</summary>
    internal static async Task<string> ReachableCustomerAsync(EventService.EventServiceClient events, string? customerId = null)
    {
        var id = customerId ?? $"j-{Guid.NewGuid():N}";
        var offset = 12 - DateTime.UtcNow.Hour;
        offset = offset < -12 ? offset + 24 : offset;
        var zone = offset >= 0 ? $"Etc/GMT-{offset}" : $"Etc/GMT+{-offset}";
        var at = DateTime.UtcNow.AddMinutes(-1);
        var timeZone = Ev.Of(id, EventType.TimeZoneSet, at);
        timeZone.TimeZone = new TimeZoneDetail { TimeZone = zone };
        var batch = new TrackBatchRequest();
        batch.Events.Add(timeZone);
        batch.Events.Add(Ev.Consent(id, EventType.ConsentGranted, Channel.Email, at));
        batch.Events.Add(Ev.Consent(id, EventType.ConsentGranted, Channel.Push, at));
        await events.TrackBatchAsync(batch);
        return id;
    }

    internal static async Task<Journey> WaitForAsync(JourneyService.JourneyServiceClient journeys, string id, Func<JourneyStats, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var journey = await journeys.GetJourneyAsync(new GetJourneyRequest { JourneyId = id });
            if (done(journey.Stats) || DateTime.UtcNow > deadline)
            {
                return journey;
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The deliveries of one journey visible on the given queues (left in place).</summary>
    private static async Task<List<JsonElement>> DeliveriesAsync(string journeyId, params QueueClient[] queues)
    {
        var deliveries = new List<JsonElement>();
        foreach (var queue in queues)
        {
            await queue.CreateIfNotExistsAsync();
            deliveries.AddRange((await queue.PeekMessagesAsync(32)).Value
                .Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement.Clone())
                .Where(m => m.GetProperty("campaign_id").GetString() == $"journey:{journeyId}")
                .SelectMany(m => m.GetProperty("deliveries").EnumerateArray()));
        }

        return deliveries;
    }

    internal static long Ended(JourneyStats stats, string reason) => stats.Ended.SingleOrDefault(r => r.Reason == reason)?.Count ?? 0;

    [Fact]
    public async Task AnAbandonedCartGetsTheReminderAfterTheWaitAndABuyerDuringTheWaitGetsNothing()
    {
        // A server of its own: its sends are visible at once, and the shared server's queues must stay empty for the campaign tests.
        var settings = TestServer.Settings(environment.Azurite);
        await using var server = await TestServer.StartAsync(settings);
        var (events, journeys) = (new EventService.EventServiceClient(server.Channel), new JourneyService.JourneyServiceClient(server.Channel));
        var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(server.Channel), Channel.Email, Channel.Push);
        var created = await journeys.CreateJourneyAsync(new CreateJourneyRequest { Journey = AbandonedCart(offer, TimeSpan.FromSeconds(2)) });
        var activated = await journeys.ActivateJourneyAsync(new JourneyIdRequest { JourneyId = created.JourneyId });
        await Task.Delay(CacheAge);
        var (abandoner, buyer, small) = (await ReachableCustomerAsync(events), await ReachableCustomerAsync(events), await ReachableCustomerAsync(events));

        await events.TrackAsync(new TrackRequest { Event = Ev.Cart(abandoner, EventType.AddToCart, DateTime.UtcNow, "p1", 1, 30) });
        await events.TrackAsync(new TrackRequest { Event = Ev.Cart(buyer, EventType.AddToCart, DateTime.UtcNow, "p1", 1, 30) });
        await events.TrackAsync(new TrackRequest { Event = Ev.Cart(small, EventType.AddToCart, DateTime.UtcNow, "p2", 1, 5) });
        await events.TrackAsync(new TrackRequest { Event = Ev.Purchase(buyer, DateTime.UtcNow, 30) });
        var waiting = (await journeys.GetJourneyAsync(new GetJourneyRequest { JourneyId = created.JourneyId })).Stats;
        var after = await WaitForAsync(journeys, created.JourneyId, s => s.Steps.Single(p => p.StepId == "remind").Sent.Sum(c => c.Count) == 1, TimeSpan.FromSeconds(20));

        Assert.Equal((JourneyState.Draft, 1), (created.State, created.Version));
        Assert.Equal(JourneyState.Active, activated.State);
        var remind = after.Stats.Steps.Single(s => s.StepId == "remind");
        Assert.Equal(2, after.Stats.Entered); // the 5-euro cart does not match cart_value > 20
        Assert.Equal(1, Ended(after.Stats, "EXIT_EVENT"));
        Assert.Equal(1, remind.Reached);
        Assert.Equal(1, remind.Sent.Sum(c => c.Count));
        Assert.Equal(1, after.Stats.Steps.Single(s => s.StepId == "wait-for-purchase").Current);
        Assert.InRange(waiting.Steps.Single(s => s.StepId == "wait-1h").Reached, 0, 2); // counts arrive within a second

        // One delivery, for the abandoner, on the journey's queue message; none for the buyer.
        var prefix = settings["Storage:QueuePrefix"];
        var deliveries = await DeliveriesAsync(created.JourneyId, new QueueClient(environment.Azurite.ConnectionString, $"{prefix}-email"), new QueueClient(environment.Azurite.ConnectionString, $"{prefix}-push"));
        var delivery = Assert.Single(deliveries);
        Assert.Equal(abandoner, delivery.GetProperty("customer_id").GetString());
        Assert.Equal($"{created.JourneyId}:{abandoner}:1:remind", delivery.GetProperty("delivery_id").GetString());
        Assert.Equal(offer, delivery.GetProperty("offer_id").GetString());
    }

    [Fact]
    public async Task ABirthdayGreetedBeforeARestartIsNotGreetedAgainAfterIt()
    {
        var settings = TestServer.Settings(environment.Azurite);
        var queue = new QueueClient(environment.Azurite.ConnectionString, $"{settings["Storage:QueuePrefix"]}-email");
        string journeyId, customer;
        List<JsonElement> before;
        await using (var first = await TestServer.StartAsync(settings))
        {
            var (events, journeys) = (new EventService.EventServiceClient(first.Channel), new JourneyService.JourneyServiceClient(first.Channel));
            var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(first.Channel), Channel.Email);
            var journey = Personalization.V1.Conversions.DefinitionFiles.Parse<Journey>(File.ReadAllText(Path.Combine(RepositoryPaths.Root, "examples", "journeys", "birthday.yaml")), yaml: true);
            journey.JourneyId = journeyId = $"bday-{Guid.NewGuid():N}"[..20];
            journey.Entry.TimeOfDay = "00:00";
            journey.OfferIds.Clear();
            journey.OfferIds.Add(offer);
            await journeys.CreateJourneyAsync(new CreateJourneyRequest { Journey = journey });
            await journeys.ActivateJourneyAsync(new JourneyIdRequest { JourneyId = journeyId });
            await Task.Delay(CacheAge);
            customer = await ReachableCustomerAsync(events);
            var offset = 12 - DateTime.UtcNow.Hour;
            var localToday = DateTime.UtcNow.AddHours(offset < -12 ? offset + 24 : offset).Date;
            await events.TrackAsync(new TrackRequest { Event = Ev.Traits(customer, DateTime.UtcNow, ("birthday", new Personalization.V1.Value { StringValue = localToday.AddYears(-25).ToString("yyyy-MM-dd") })) });
            before = [];
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (before.Count == 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(250);
                before = await DeliveriesAsync(journeyId, queue);
            }
        }

        // The whole service restarts the same day: the customer comes back (an event, and its wake-up schedule) and is not greeted again.
        await using var second = await TestServer.StartAsync(settings);
        await new EventService.EventServiceClient(second.Channel).TrackAsync(new TrackRequest { Event = Ev.Session(customer, DateTime.UtcNow) });
        await Task.Delay(TimeSpan.FromSeconds(3));
        var after = await DeliveriesAsync(journeyId, queue);

        Assert.Equal($"{journeyId}:{customer}:1:greet", Assert.Single(before).GetProperty("delivery_id").GetString());
        Assert.Single(after);
    }

    [Fact]
    public async Task AWaitThatEndsWhileTheServerIsDownRunsOnceWhenItIsBack()
    {
        var settings = TestServer.Settings(environment.Azurite);
        string journeyId, customer;
        await using (var before = await TestServer.StartAsync(settings))
        {
            var (events, journeys) = (new EventService.EventServiceClient(before.Channel), new JourneyService.JourneyServiceClient(before.Channel));
            var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(before.Channel), Channel.Email);
            journeyId = (await journeys.CreateJourneyAsync(new CreateJourneyRequest { Journey = AbandonedCart(offer, TimeSpan.FromSeconds(3)) })).JourneyId;
            await journeys.ActivateJourneyAsync(new JourneyIdRequest { JourneyId = journeyId });
            await Task.Delay(CacheAge);
            customer = await ReachableCustomerAsync(events);
            await events.TrackAsync(new TrackRequest { Event = Ev.Cart(customer, EventType.AddToCart, DateTime.UtcNow, "p1", 1, 30) });
        }

        // Down past the wait's end: only the wake-up schedule in Azure Table storage knows the customer is due.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await using var after = await TestServer.StartAsync(settings);
        var queue = new QueueClient(environment.Azurite.ConnectionString, $"{settings["Storage:QueuePrefix"]}-email");
        var deliveries = new List<JsonElement>();
        var deadline = DateTime.UtcNow.AddSeconds(120); // the schedule shard reads its overdue batch within a second or two of the start
        while (deliveries.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
            deliveries = await DeliveriesAsync(journeyId, queue);
        }

        await Task.Delay(TimeSpan.FromSeconds(2)); // a second wake-up (timer and schedule both fire) would have queued again by now
        var again = await DeliveriesAsync(journeyId, queue);

        var delivery = Assert.Single(deliveries);
        Assert.Equal($"{journeyId}:{customer}:1:remind", delivery.GetProperty("delivery_id").GetString());
        Assert.Single(again);
    }

    [Fact]
    public async Task TheLifecycleRefusesWhatDoesNotApplyAndAnUpdateMakesANewVersion()
    {
        var shared = environment.Shared;
        var journeys = new JourneyService.JourneyServiceClient(shared.Channel);
        var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(shared.Channel), Channel.Email);
        var definition = AbandonedCart(offer, TimeSpan.FromMinutes(30));
        var created = await journeys.CreateJourneyAsync(new CreateJourneyRequest { Journey = definition });
        var id = new JourneyIdRequest { JourneyId = created.JourneyId };

        var resumeDraft = await Assert.ThrowsAsync<RpcException>(async () => await journeys.ResumeJourneyAsync(id));
        await journeys.ActivateJourneyAsync(id);
        var paused = await journeys.PauseJourneyAsync(id);
        var activatePaused = await Assert.ThrowsAsync<RpcException>(async () => await journeys.ActivateJourneyAsync(id));
        var resumed = await journeys.ResumeJourneyAsync(id);
        definition.Name = "Abandoned cart v2";
        var updated = await journeys.UpdateJourneyAsync(new UpdateJourneyRequest { Journey = definition });
        var archived = await journeys.ArchiveJourneyAsync(id);
        var archiveTwice = await Assert.ThrowsAsync<RpcException>(async () => await journeys.ArchiveJourneyAsync(id));
        var listed = await journeys.ListJourneysAsync(new ListJourneysRequest { State = JourneyState.Archived, Page = new PageRequest { PageSize = 1000 } });

        Assert.Equal(StatusCode.FailedPrecondition, resumeDraft.StatusCode);
        Assert.Equal(JourneyState.Paused, paused.State);
        Assert.Equal(StatusCode.FailedPrecondition, activatePaused.StatusCode);
        Assert.Equal(JourneyState.Active, resumed.State);
        Assert.Equal((2, "Abandoned cart v2", JourneyState.Active), (updated.Version, updated.Name, updated.State));
        Assert.Equal(JourneyState.Archived, archived.State);
        Assert.Equal(StatusCode.FailedPrecondition, archiveTwice.StatusCode);
        Assert.Contains(listed.Journeys, j => j.JourneyId == created.JourneyId);
    }

    [Fact]
    public async Task ABadDefinitionIsInvalidArgumentNamingTheStepAndFieldAndNothingIsSaved()
    {
        var shared = environment.Shared;
        var journeys = new JourneyService.JourneyServiceClient(shared.Channel);
        var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(shared.Channel), Channel.Email);
        var definition = AbandonedCart(offer, TimeSpan.FromDays(400));
        definition.Steps[1].Send.Next = "nowhere";
        definition.Entry.Rule = "cart_value >";

        var error = await Assert.ThrowsAsync<RpcException>(async () => await journeys.CreateJourneyAsync(new CreateJourneyRequest { Journey = definition }));
        var validation = await journeys.ValidateJourneyAsync(new ValidateJourneyRequest { Journey = definition });
        var lookup = await Assert.ThrowsAsync<RpcException>(async () => await journeys.GetJourneyAsync(new GetJourneyRequest { JourneyId = definition.JourneyId }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("journey.steps[0].wait.duration: more than 0 and at most 365 days", error.Status.Detail);
        Assert.Contains("journey.steps[1].send.next: no step 'nowhere'.", error.Status.Detail);
        Assert.Contains("journey.entry.rule: at 1:", error.Status.Detail);
        Assert.False(validation.Valid);
        Assert.Equal(3, validation.Errors.Count);
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
    }
}
