using System.Text.Json;
using Azure.Storage.Queues;
using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;
using Value = Personalization.V1.Value;

namespace Personalization.Server.Tests;

/// <summary>
/// Deliveries re-checked when they come due, over real gRPC on a real server with Azurite: a campaign's
/// deliveries wait on the scheduled queue and a withdrawal, an unsubscribe, a spam complaint, a hard bounce
/// or an erasure in between keeps each one off the channel queue; a journey's send step likewise.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SendTimeCheckTests(ServerEnvironment environment)
{
    // How long after the server starts the campaign's deliveries come due: room to set the campaign up first.
    private static readonly TimeSpan DueAfterStart = TimeSpan.FromSeconds(45);

    /// <summary>The fixed-offset zone in which <paramref name="utc"/> is 13:00 local (outside quiet hours, inside a 13-14 window).</summary>
    private static string ZoneWhereOnePm(DateTime utc)
    {
        var offset = 13 - utc.Hour;
        offset = offset < -12 ? offset + 24 : offset > 14 ? offset - 24 : offset;
        return offset == 0 ? "Etc/UTC" : offset > 0 ? $"Etc/GMT-{offset}" : $"Etc/GMT+{-offset}";
    }

    /// <summary>Customers in <paramref name="zone"/> who consented to email, with a cohort trait.</summary>
    private static async Task<List<string>> CustomersAsync(EventService.EventServiceClient events, string cohort, string zone, int count)
    {
        var ids = Enumerable.Range(0, count).Select(i => $"s-{cohort[..8]}-{i}").ToList();
        var at = DateTime.UtcNow.AddMinutes(-1);
        var batch = new TrackBatchRequest();
        foreach (var id in ids)
        {
            var timeZone = Ev.Of(id, EventType.TimeZoneSet, at);
            timeZone.TimeZone = new TimeZoneDetail { TimeZone = zone };
            batch.Events.Add(timeZone);
            batch.Events.Add(Ev.Traits(id, at, ("cohort", new Value { StringValue = cohort })));
            batch.Events.Add(Ev.Consent(id, EventType.ConsentGranted, Channel.Email, at));
        }

        await events.TrackBatchAsync(batch);
        return ids;
    }

    /// <summary>Between decision and send, one customer each: consent withdrawn, unsubscribed, spam complaint, hard bounce, erased.</summary>
    private static async Task WithdrawAsync(EventService.EventServiceClient events, ProfileService.ProfileServiceClient profiles, IReadOnlyList<string> ids)
    {
        var now = DateTime.UtcNow;
        var bounce = Ev.Of(ids[3], EventType.MessageBounced, now, Channel.Email);
        bounce.Message = new MessageDetail { HardBounce = true };
        var batch = new TrackBatchRequest();
        batch.Events.Add(Ev.Consent(ids[0], EventType.ConsentWithdrawn, Channel.Email, now));
        batch.Events.Add(Ev.Of(ids[1], EventType.Unsubscribed, now, Channel.Email));
        batch.Events.Add(Ev.Of(ids[2], EventType.SpamComplaint, now, Channel.Email));
        batch.Events.Add(bounce);
        await events.TrackBatchAsync(batch);
        await profiles.ForgetProfileAsync(new ForgetProfileRequest { CustomerId = ids[4] });
    }

    /// <summary>The deliveries of one source (campaign id, or journey:id) visible on a queue (left in place).</summary>
    private static async Task<List<(JsonElement Message, JsonElement Delivery)>> DeliveriesAsync(QueueClient queue, string source)
    {
        await queue.CreateIfNotExistsAsync();
        return [.. (await queue.PeekMessagesAsync(32)).Value
            .Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement.Clone())
            .Where(m => m.GetProperty("campaign_id").GetString() == source)
            .SelectMany(m => m.GetProperty("deliveries").EnumerateArray().Select(d => (m, d)))];
    }

    /// <summary>A server and a completed campaign whose email deliveries are scheduled for the top of the next hour.</summary>
    private sealed record ScheduledCampaign(
        TestServer Server,
        Dictionary<string, string?> Settings,
        DateTime Started,
        DateTime SendAt,
        string CampaignId,
        string Offer,
        List<string> Ids,
        CampaignProgress Decided,
        List<(JsonElement Message, JsonElement Delivery)> VisibleBefore,
        int WaitingBefore) : IAsyncDisposable
    {
        public EventService.EventServiceClient Events => new(Server.Channel);

        public CampaignService.CampaignServiceClient Campaigns => new(Server.Channel);

        public ProfileService.ProfileServiceClient Profiles => new(Server.Channel);

        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }

    /// <summary>A completed campaign of <paramref name="count"/> email deliveries, due <see cref="DueAfterStart"/> after the server started; <paramref name="whileRunning"/> acts during its fan-out.</summary>
    private async Task<ScheduledCampaign> ScheduledCampaignAsync(int count, Dictionary<string, string?>? extra = null, Func<CampaignService.CampaignServiceClient, string, Dictionary<string, string?>, DateTime, Task>? whileRunning = null)
    {
        // The campaign sends at the top of an hour; the lead makes that hour's deliveries due DueAfterStart from now.
        var started = DateTime.UtcNow;
        var sendAt = new DateTime(started.Year, started.Month, started.Day, started.Hour, 0, 0, DateTimeKind.Utc).AddHours(started.Minute >= 55 ? 2 : 1);
        var settings = TestServer.Settings(environment.Azurite);
        settings["Storage:DeliveryLead"] = (sendAt - started - DueAfterStart).ToString(@"hh\:mm\:ss");
        settings["Storage:ReleasePollInterval"] = "00:00:00.200";
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var server = await TestServer.StartAsync(settings);
        var (events, segments, campaigns) = (new EventService.EventServiceClient(server.Channel), new SegmentService.SegmentServiceClient(server.Channel), new CampaignService.CampaignServiceClient(server.Channel));
        var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(server.Channel), Channel.Email);
        var cohort = Guid.NewGuid().ToString("N");
        var ids = await CustomersAsync(events, cohort, ZoneWhereOnePm(sendAt), count);
        var segment = $"send-check-{cohort[..8]}";
        await segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = segment, Rule = $"cohort = '{cohort}'" } });
        await SegmentLifecycleTests.ActiveAsync(segments, segment);
        var definition = CampaignTests.Definition(segment, offer, 0);
        definition.SendWindow = new SendWindow { StartHour = 13, EndHour = 14 };
        var created = await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = definition });
        await campaigns.StartCampaignAsync(new StartCampaignRequest { CampaignId = created.CampaignId });
        if (whileRunning is not null)
        {
            await whileRunning(campaigns, created.CampaignId, settings, started);
        }

        var decided = (await CampaignTests.WatchAsync(campaigns, created.CampaignId, TimeSpan.FromSeconds(30)))[^1];
        var (email, scheduled) = Queues(settings);
        var visibleBefore = await DeliveriesAsync(email, created.CampaignId);
        var waitingBefore = (await scheduled.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        return new ScheduledCampaign(server, settings, started, sendAt, created.CampaignId, offer, ids, decided, visibleBefore, waitingBefore);
    }

    private (QueueClient Email, QueueClient Scheduled) Queues(Dictionary<string, string?> settings) =>
        (new QueueClient(environment.Azurite.ConnectionString, $"{settings["Storage:QueuePrefix"]}-email"), new QueueClient(environment.Azurite.ConnectionString, $"{settings["Storage:QueuePrefix"]}-scheduled"));

    /// <summary>The campaign's progress once <paramref name="dropped"/> deliveries were dropped at send time (or the time ran out).</summary>
    private static async Task<CampaignProgress> DroppedAsync(ScheduledCampaign run, long dropped)
    {
        CampaignProgress after;
        do
        {
            await Task.Delay(500);
            after = (await run.Campaigns.GetCampaignAsync(new GetCampaignRequest { CampaignId = run.CampaignId })).Progress;
        }
        while (after.Dropped.Sum(d => d.Count) < dropped && DateTime.UtcNow - run.Started < DueAfterStart + TimeSpan.FromSeconds(30));
        return after;
    }

    [Fact]
    public async Task AWithdrawalUnsubscribeComplaintBounceOrErasureBeforeTheSendTimeKeepsACampaignDeliveryOffTheChannelQueue()
    {
        await using var run = await ScheduledCampaignAsync(6);
        var (ids, profiles, created) = (run.Ids, run.Profiles, (CampaignId: run.CampaignId, Offer: run.Offer));
        var (email, scheduled) = Queues(run.Settings);
        var setUpIn = DateTime.UtcNow - run.Started;

        await WithdrawAsync(run.Events, profiles, ids);
        var after = await DroppedAsync(run, 5);

        Assert.True(setUpIn < DueAfterStart, $"set-up took {setUpIn}, past the release time");
        Assert.Equal((CampaignState.Completed, 6L), (run.Decided.State, run.Decided.Channels.Single(c => c.Channel == Channel.Email).Queued));
        Assert.Empty(run.VisibleBefore); // nothing reaches the connectors before its time
        Assert.True(run.WaitingBefore >= 1);
        Assert.Equal(
            [("ERASED", 1L), ("HARD_BOUNCE", 1L), ("NO_CONSENT", 1L), ("SPAM_COMPLAINT", 1L), ("UNSUBSCRIBED", 1L)],
            after.Dropped.Select(d => (d.Reason, d.Count)).OrderBy(d => d.Reason, StringComparer.Ordinal).ToList());
        var (message, delivery) = Assert.Single(await DeliveriesAsync(email, created.CampaignId));
        Assert.Equal((1, "email", run.SendAt), (message.GetProperty("format").GetInt32(), message.GetProperty("channel").GetString(), message.GetProperty("send_at").GetDateTime().ToUniversalTime()));
        Assert.Equal((ids[5], $"{created.CampaignId}:{ids[5]}:{created.Offer}", created.Offer), (delivery.GetProperty("customer_id").GetString(), delivery.GetProperty("delivery_id").GetString(), delivery.GetProperty("offer_id").GetString()));
        Assert.Equal(0, (await scheduled.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        // The release asked the erased customer and brought nothing back.
        var erased = await Assert.ThrowsAsync<RpcException>(async () => await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = ids[4] }));
        Assert.Equal(StatusCode.NotFound, erased.StatusCode);
    }

    [Fact]
    public async Task ACampaignCancelledAfterItsDecisionsSendsNothingWhenItsDeliveriesComeDue()
    {
        await using var run = await ScheduledCampaignAsync(3);
        var (email, scheduled) = Queues(run.Settings);

        // The fan-out is over (Completed) and the deliveries wait for their send time: cancelling stops them.
        var cancelled = await run.Campaigns.CancelCampaignAsync(new CancelCampaignRequest { CampaignId = run.CampaignId });
        var after = await DroppedAsync(run, 3);

        Assert.Equal((CampaignState.Completed, 3L), (run.Decided.State, run.Decided.Channels.Single(c => c.Channel == Channel.Email).Queued));
        Assert.Empty(run.VisibleBefore);
        Assert.Equal(CampaignState.Cancelled, cancelled.State);
        Assert.Equal([("CAMPAIGN_CANCELLED", 3L)], after.Dropped.Select(d => (d.Reason, d.Count)).ToList());
        Assert.Empty(await DeliveriesAsync(email, run.CampaignId));
        Assert.Equal(0, (await scheduled.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task AWithdrawalUnsubscribeComplaintBounceOrErasureDuringAJourneyWaitKeepsItsSendOffTheChannelQueue()
    {
        var settings = TestServer.Settings(environment.Azurite);
        await using var server = await TestServer.StartAsync(settings);
        var (events, journeys, profiles) = (new EventService.EventServiceClient(server.Channel), new JourneyService.JourneyServiceClient(server.Channel), new ProfileService.ProfileServiceClient(server.Channel));
        var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(server.Channel), Channel.Email);
        var journey = JourneyTests.AbandonedCart(offer, TimeSpan.FromSeconds(4));
        await journeys.CreateJourneyAsync(new CreateJourneyRequest { Journey = journey });
        await journeys.ActivateJourneyAsync(new JourneyIdRequest { JourneyId = journey.JourneyId });
        await Task.Delay(TimeSpan.FromMilliseconds(1200)); // the silo's journey definitions refresh
        var ids = await CustomersAsync(events, Guid.NewGuid().ToString("N"), ZoneWhereOnePm(DateTime.UtcNow), 6);
        var carts = new TrackBatchRequest();
        carts.Events.AddRange(ids.Select(id => Ev.Cart(id, EventType.AddToCart, DateTime.UtcNow, "p1", 1, 30)));
        await events.TrackBatchAsync(carts);

        await WithdrawAsync(events, profiles, ids);
        JourneyStepStats remind;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(300);
            remind = (await journeys.GetJourneyAsync(new GetJourneyRequest { JourneyId = journey.JourneyId })).Stats.Steps.Single(s => s.StepId == "remind");
        }
        while (remind.Sent.Sum(c => c.Count) + remind.Suppressed.Sum(c => c.Count) < 5 && DateTime.UtcNow < deadline);

        // The erased customer's enrollment and wake-up went with it: five reach the send step, one is sent.
        Assert.Equal(5, remind.Reached);
        Assert.Equal(1, remind.Sent.Sum(c => c.Count));
        Assert.Equal([("NO_CONSENT", 1L), ("SUPPRESSED", 3L)], remind.Suppressed.Select(c => (c.Reason, c.Count)).ToList());
        var stats = (await journeys.GetJourneyAsync(new GetJourneyRequest { JourneyId = journey.JourneyId })).Stats;
        Assert.Equal(1, stats.Ended.Single(r => r.Reason == "ERASED").Count);
        Assert.Equal(0, stats.Steps.Single(s => s.StepId == "wait-1h").Current);
        var (_, delivery) = Assert.Single(await DeliveriesAsync(new QueueClient(environment.Azurite.ConnectionString, $"{settings["Storage:QueuePrefix"]}-email"), $"journey:{journey.JourneyId}"));
        Assert.Equal(ids[5], delivery.GetProperty("customer_id").GetString());
        var erased = await Assert.ThrowsAsync<RpcException>(async () => await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = ids[4] }));
        Assert.Equal(StatusCode.NotFound, erased.StatusCode);
    }

    [Fact]
    public async Task APausedCampaignHoldsItsDueDeliveriesUntilItResumes()
    {
        // One customer a shard a round and one call at a time: slow enough to pause after the first decisions.
        var extra = new Dictionary<string, string?> { ["Fanout:PageSize"] = "1", ["Fanout:MaxInFlight"] = "1", ["Storage:ReleasePausedRecheck"] = "00:00:02" };
        (CampaignState State, long Queued) paused = default;
        List<(JsonElement Message, JsonElement Delivery)> heldWhilePaused = [];
        long droppedWhilePaused = -1;
        await using var run = await ScheduledCampaignAsync(300, extra, async (campaigns, id, settings, started) =>
        {
            CampaignProgress partial;
            do
            {
                partial = (await campaigns.GetCampaignAsync(new GetCampaignRequest { CampaignId = id })).Progress;
            }
            while (partial.Decided == 0);

            var pause = await campaigns.PauseCampaignAsync(new PauseCampaignRequest { CampaignId = id });
            paused = (pause.State, pause.Progress.Channels.SingleOrDefault(c => c.Channel == Channel.Email)?.Queued ?? 0);
            // Past the release time while paused: the decided members' deliveries stay off the channel queue.
            var dueIn = DueAfterStart - (DateTime.UtcNow - started);
            await Task.Delay((dueIn > TimeSpan.Zero ? dueIn : TimeSpan.Zero) + TimeSpan.FromSeconds(4));
            heldWhilePaused = await DeliveriesAsync(Queues(settings).Email, id);
            droppedWhilePaused = (await campaigns.GetCampaignAsync(new GetCampaignRequest { CampaignId = id })).Progress.Dropped.Sum(d => d.Count);
            await campaigns.ResumeCampaignAsync(new ResumeCampaignRequest { CampaignId = id });
        });
        var queued = run.Decided.Channels.Single(c => c.Channel == Channel.Email).Queued;
        var (email, _) = Queues(run.Settings);
        List<(JsonElement Message, JsonElement Delivery)> released;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(500);
            released = await DeliveriesAsync(email, run.CampaignId);
        }
        while (released.Count < queued && DateTime.UtcNow < deadline);

        Assert.Equal(CampaignState.Paused, paused.State);
        Assert.True(paused.Queued is > 0 and < 300, $"paused after {paused.Queued} deliveries");
        Assert.Empty(heldWhilePaused);
        Assert.Equal(0, droppedWhilePaused);
        Assert.Equal((CampaignState.Completed, 300L), (run.Decided.State, queued));
        Assert.Equal(run.Ids.Order(StringComparer.Ordinal), released.Select(r => r.Delivery.GetProperty("customer_id").GetString()!).Order(StringComparer.Ordinal));
    }
}
