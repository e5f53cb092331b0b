using System.Text.Json;
using Azure.Storage.Queues;
using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;
using Microsoft.Extensions.DependencyInjection;
using Value = Personalization.V1.Value;

namespace Personalization.Server.Tests;

/// <summary>Campaigns over real gRPC on a real server with Azurite: fan-out, exactly once, queues, lifecycle, results.</summary>
[Collection(ServerCollection.Name)]
public sealed class CampaignTests(ServerEnvironment environment)
{
    internal static async Task<string> OfferAsync(OfferService.OfferServiceClient offers, params Channel[] channels)
    {
        var offer = new Offer { OfferId = $"o-{Guid.NewGuid():N}", Name = "10% off", Type = OfferType.Discount, Value = 10, Reward = 5, Difficulty = 20, DurationDays = 7 };
        offer.Channels.AddRange(channels);
        await offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer });
        return offer.OfferId;
    }

    /// <summary>Customers of their own cohort who consented to email, tracked in batches.</summary>
    internal static async Task<List<string>> CustomersAsync(EventService.EventServiceClient events, string cohort, int count)
    {
        var ids = Enumerable.Range(0, count).Select(i => $"{cohort[..8]}-{i:D6}").ToList();
        foreach (var chunk in ids.Chunk(500))
        {
            var batch = new TrackBatchRequest();
            foreach (var id in chunk)
            {
                batch.Events.Add(Ev.Traits(id, DateTime.UtcNow.AddDays(-1), ("cohort", new Value { StringValue = cohort })));
                batch.Events.Add(Ev.Consent(id, EventType.ConsentGranted, Channel.Email, DateTime.UtcNow.AddDays(-1)));
            }

            await events.TrackBatchAsync(batch);
        }

        return ids;
    }

    internal static Campaign Definition(string segment, string offer, double holdout) => new()
    {
        Name = "Winter",
        Segment = segment,
        OfferIds = { offer },
        Channels = { Channel.Email },
        HoldoutShare = holdout,
    };

    /// <summary>Watches until the campaign completes; returns every update.</summary>
    internal static async Task<List<CampaignProgress>> WatchAsync(CampaignService.CampaignServiceClient campaigns, string id, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        using var call = campaigns.WatchCampaign(new WatchCampaignRequest { CampaignId = id, IntervalMs = 200 }, cancellationToken: cancel.Token);
        var updates = new List<CampaignProgress>();
        while (await call.ResponseStream.MoveNext(cancel.Token))
        {
            updates.Add(call.ResponseStream.Current);
        }

        return updates;
    }

    /// <summary>Every visible message of a queue, removed.</summary>
    internal static async Task<List<JsonElement>> DrainAsync(QueueClient queue)
    {
        var messages = new List<JsonElement>();
        while (true)
        {
            var received = (await queue.ReceiveMessagesAsync(32)).Value;
            if (received.Length == 0)
            {
                return messages;
            }

            foreach (var message in received)
            {
                messages.Add(JsonDocument.Parse(message.Body.ToString()).RootElement.Clone());
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }

    [Fact]
    public async Task ACampaignOverTenThousandCustomersDecidesEachMemberOnceAndQueuesTheirDeliveries()
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["Storage:DeliveryLead"] = "1.02:00:00"; // every delivery visible now, to read them back
        settings["Fanout:PageSize"] = "8"; // 512 customers a round, so the run can be paused halfway
        await using var server = await TestServer.StartAsync(settings);
        var (events, segments, campaigns) = (new EventService.EventServiceClient(server.Channel), new SegmentService.SegmentServiceClient(server.Channel), new CampaignService.CampaignServiceClient(server.Channel));
        var offer = await OfferAsync(new OfferService.OfferServiceClient(server.Channel), Channel.Email, Channel.Web);
        var cohort = Guid.NewGuid().ToString("N");
        var ids = await CustomersAsync(events, cohort, 10_000);
        await segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = "winter-audience", Rule = $"cohort = '{cohort}' and consented(email)" } });
        Assert.Equal(10_000, (await SegmentLifecycleTests.ActiveAsync(segments, "winter-audience")).MemberCount);

        var created = await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = Definition("winter-audience", offer, 0.1) });
        await campaigns.StartCampaignAsync(new StartCampaignRequest { CampaignId = created.CampaignId });
        CampaignProgress partial;
        do
        {
            partial = (await campaigns.GetCampaignAsync(new GetCampaignRequest { CampaignId = created.CampaignId })).Progress;
        }
        while (partial.Decided == 0);

        var paused = await campaigns.PauseCampaignAsync(new PauseCampaignRequest { CampaignId = created.CampaignId });
        await Task.Delay(1000);
        var stillPaused = await campaigns.GetCampaignAsync(new GetCampaignRequest { CampaignId = created.CampaignId });
        await campaigns.ResumeCampaignAsync(new ResumeCampaignRequest { CampaignId = created.CampaignId });
        var updates = await WatchAsync(campaigns, created.CampaignId, TimeSpan.FromMinutes(5));
        var done = updates[^1];

        Assert.Equal(CampaignState.Paused, paused.State);
        Assert.InRange(paused.Progress.Decided, 1, 9_999);
        Assert.Equal(paused.Progress.Decided, stillPaused.Progress.Decided);
        Assert.Equal(CampaignState.Completed, done.State);
        Assert.Equal((10_000, 10_000, 64, 64), (done.Targeted, done.Decided, done.ShardsDone, done.ShardsTotal));
        Assert.True(updates.Zip(updates.Skip(1)).All(p => p.Second.Decided >= p.First.Decided));
        var heldOut = done.Suppressed.Single(s => s.Reason == SuppressionReason.Holdout).Count;
        Assert.InRange(heldOut, 850, 1_150);
        var queued = done.Channels.Single(c => c.Channel == Channel.Email).Queued;
        Assert.Equal(10_000 - heldOut, queued);
        Assert.Equal(10_000, queued + done.Suppressed.Sum(s => s.Count));

        // Every delivery is in the email queue exactly once, for a member, at a future hour.
        var messages = await DrainAsync(new QueueClient(environment.Azurite.ConnectionString, $"{settings["Storage:QueuePrefix"]}-email"));
        var deliveries = messages.SelectMany(m => m.GetProperty("deliveries").EnumerateArray().Select(d => (Message: m, Delivery: d))).ToList();
        Assert.All(messages, m => Assert.Equal((1, created.CampaignId, "email"), (m.GetProperty("format").GetInt32(), m.GetProperty("campaign_id").GetString(), m.GetProperty("channel").GetString())));
        Assert.Equal(queued, deliveries.Count);
        Assert.Equal(deliveries.Count, deliveries.Select(d => d.Delivery.GetProperty("delivery_id").GetString()).Distinct().Count());
        Assert.Subset(ids.ToHashSet(), deliveries.Select(d => d.Delivery.GetProperty("customer_id").GetString()!).ToHashSet());
        Assert.All(messages, m =>
        {
            var sendAt = m.GetProperty("send_at").GetDateTime();
            Assert.InRange(sendAt, DateTime.UtcNow, DateTime.UtcNow.AddHours(25));
            Assert.Equal(0, sendAt.Minute);
        });

        var restart = await Assert.ThrowsAsync<RpcException>(async () => await campaigns.StartCampaignAsync(new StartCampaignRequest { CampaignId = created.CampaignId }));
        Assert.Equal(StatusCode.FailedPrecondition, restart.StatusCode);
        Assert.Contains("only a draft campaign can start; this one is completed", restart.Status.Detail);
    }

    [Fact]
    public async Task DeliveriesStayHiddenUntilTheirSendTimeAndResultsComeBackToTheCampaign()
    {
        var shared = environment.Shared;
        var (events, segments, campaigns, decisions, profiles) = (new EventService.EventServiceClient(shared.Channel), new SegmentService.SegmentServiceClient(shared.Channel),
            new CampaignService.CampaignServiceClient(shared.Channel), new DecisionService.DecisionServiceClient(shared.Channel), new ProfileService.ProfileServiceClient(shared.Channel));
        var offer = await OfferAsync(new OfferService.OfferServiceClient(shared.Channel), Channel.Email);
        var cohort = Guid.NewGuid().ToString("N");
        var ids = await CustomersAsync(events, cohort, 40);
        var segment = $"results-{cohort[..8]}";
        await segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = segment, Rule = $"cohort = '{cohort}'" } });
        await SegmentLifecycleTests.ActiveAsync(segments, segment);

        var campaign = await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = Definition(segment, offer, 0.25) });
        await campaigns.StartCampaignAsync(new StartCampaignRequest { CampaignId = campaign.CampaignId });
        var done = (await WatchAsync(campaigns, campaign.CampaignId, TimeSpan.FromMinutes(2)))[^1];
        var prefix = shared.Services.GetRequiredService<Hosting.StorageSettings>().QueuePrefix;
        var (queue, scheduled) = (new QueueClient(environment.Azurite.ConnectionString, $"{prefix}-email"), new QueueClient(environment.Azurite.ConnectionString, $"{prefix}-scheduled"));
        await queue.CreateIfNotExistsAsync();
        var properties = (await scheduled.GetPropertiesAsync()).Value;
        var visible = (await queue.PeekMessagesAsync(32)).Value;

        Assert.Equal(40, done.Decided);
        Assert.True(properties.ApproximateMessagesCount >= 1); // waiting on the scheduled queue for their send time
        Assert.Empty(visible); // nothing on the connectors' queue before it

        // A connector reports results against the decisions; a treated and a held-out member buy.
        var profilesById = new Dictionary<string, Profile>();
        foreach (var id in ids)
        {
            profilesById[id] = await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = id });
        }

        var treated = ids.Where(id => profilesById[id].RecentDecisions.Any(d => d.CampaignId == campaign.CampaignId)).ToList();
        var control = ids.Except(treated).ToList();
        foreach (var id in treated.Take(3))
        {
            var decision = profilesById[id].RecentDecisions.Single(d => d.CampaignId == campaign.CampaignId);
            await decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = id, DecisionId = decision.DecisionId, OfferId = decision.OfferId, Outcome = Outcome.Shown });
            await decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = id, DecisionId = decision.DecisionId, OfferId = decision.OfferId, Outcome = Outcome.Shown });
        }

        await events.TrackAsync(new TrackRequest { Event = Ev.Purchase(treated[0], DateTime.UtcNow, 30) });
        await events.TrackAsync(new TrackRequest { Event = Ev.Purchase(control[0], DateTime.UtcNow, 30) });
        await events.TrackAsync(new TrackRequest { Event = Ev.Purchase(control[0], DateTime.UtcNow, 40) });
        var results = (await campaigns.GetCampaignAsync(new GetCampaignRequest { CampaignId = campaign.CampaignId })).Progress;

        Assert.Equal(treated.Count, results.Channels.Single().Queued);
        Assert.Equal(3, results.Channels.Single().Delivered); // each once, however often reported
        Assert.Equal(1.0 / treated.Count, results.TreatedConversionRate, 6);
        Assert.Equal(1.0 / control.Count, results.HoldoutConversionRate, 6);
        Assert.Equal((results.TreatedConversionRate - results.HoldoutConversionRate) / results.HoldoutConversionRate, results.Lift, 6);
        Assert.Equal((treated.Count, control.Count), (results.IntentionToTreat.TreatmentMembers, results.IntentionToTreat.ControlMembers)); // every member consented: all reached were delivered
        Assert.True(results.IntentionToTreat.Low < results.IntentionToTreat.Difference && results.IntentionToTreat.Difference < results.IntentionToTreat.High);
        Assert.Equal(70.0 / control.Count, results.RevenueIntentionToTreat.ControlValue, 6);
    }

    [Fact]
    public async Task TheLifecycleRefusesWhatDoesNotApplyAndBadCampaignsChangeNothing()
    {
        var shared = environment.Shared;
        var (segments, campaigns) = (new SegmentService.SegmentServiceClient(shared.Channel), new CampaignService.CampaignServiceClient(shared.Channel));
        var offer = await OfferAsync(new OfferService.OfferServiceClient(shared.Channel), Channel.Email);
        var segment = $"life-{Guid.NewGuid():N}"[..20];
        await segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = segment, Rule = "purchases > 1000000" } });

        async Task<StatusCode> Fails(Func<Task> call) => (await Assert.ThrowsAsync<RpcException>(call)).StatusCode;

        var unknownSegment = Definition("no-such-segment", offer, 0);
        unknownSegment.CampaignId = "bad-1";
        var noOffers = Definition(segment, offer, 0);
        noOffers.OfferIds.Clear();
        noOffers.CampaignId = "bad-2";
        var unknownOffer = Definition(segment, "no-such-offer", 0);
        unknownOffer.CampaignId = "bad-3";
        var badHoldout = Definition(segment, offer, 0.9);
        badHoldout.CampaignId = "bad-4";
        Assert.Equal(StatusCode.InvalidArgument, await Fails(async () => await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = unknownSegment })));
        Assert.Equal(StatusCode.InvalidArgument, await Fails(async () => await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = noOffers })));
        Assert.Equal(StatusCode.InvalidArgument, await Fails(async () => await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = unknownOffer })));
        Assert.Equal(StatusCode.InvalidArgument, await Fails(async () => await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = badHoldout })));
        Assert.Equal(StatusCode.InvalidArgument, await Fails(async () => await campaigns.CreateCampaignAsync(new CreateCampaignRequest())));
        foreach (var id in new[] { "bad-1", "bad-2", "bad-3", "bad-4" })
        {
            Assert.Equal(StatusCode.NotFound, await Fails(async () => await campaigns.GetCampaignAsync(new GetCampaignRequest { CampaignId = id })));
        }

        var draft = await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = Definition(segment, offer, 0) });
        var copy = Definition(segment, offer, 0);
        copy.CampaignId = draft.CampaignId;
        Assert.Equal(StatusCode.AlreadyExists, await Fails(async () => await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = copy })));
        Assert.Equal(StatusCode.FailedPrecondition, await Fails(async () => await campaigns.PauseCampaignAsync(new PauseCampaignRequest { CampaignId = draft.CampaignId })));
        Assert.Equal(StatusCode.FailedPrecondition, await Fails(async () => await segments.DeleteSegmentAsync(new DeleteSegmentRequest { Name = segment })));

        var scheduled = await campaigns.StartCampaignAsync(new StartCampaignRequest { CampaignId = draft.CampaignId, StartAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow.AddHours(1)) });
        var paused = await campaigns.PauseCampaignAsync(new PauseCampaignRequest { CampaignId = draft.CampaignId });
        Assert.Equal(StatusCode.FailedPrecondition, await Fails(async () => await campaigns.PauseCampaignAsync(new PauseCampaignRequest { CampaignId = draft.CampaignId })));
        var resumed = await campaigns.ResumeCampaignAsync(new ResumeCampaignRequest { CampaignId = draft.CampaignId });
        var cancelled = await campaigns.CancelCampaignAsync(new CancelCampaignRequest { CampaignId = draft.CampaignId });
        Assert.Equal(StatusCode.FailedPrecondition, await Fails(async () => await campaigns.StartCampaignAsync(new StartCampaignRequest { CampaignId = draft.CampaignId })));
        Assert.Equal(StatusCode.FailedPrecondition, await Fails(async () => await campaigns.CancelCampaignAsync(new CancelCampaignRequest { CampaignId = draft.CampaignId })));
        Assert.Equal(StatusCode.NotFound, await Fails(async () => await campaigns.ResumeCampaignAsync(new ResumeCampaignRequest { CampaignId = "never-created" })));
        Assert.Equal(StatusCode.InvalidArgument, await Fails(async () => await campaigns.GetCampaignAsync(new GetCampaignRequest())));

        Assert.Equal((CampaignState.Draft, CampaignState.Scheduled, CampaignState.Paused, CampaignState.Scheduled, CampaignState.Cancelled),
            (draft.State, scheduled.State, paused.State, resumed.State, cancelled.State));
        Assert.True((await segments.DeleteSegmentAsync(new DeleteSegmentRequest { Name = segment })).Deleted); // no unfinished campaign uses it now
        var listed = await campaigns.ListCampaignsAsync(new ListCampaignsRequest { State = CampaignState.Cancelled, Page = new PageRequest { PageSize = 1000 } });
        Assert.Contains(listed.Campaigns, c => c.CampaignId == draft.CampaignId);
        Assert.All(listed.Campaigns, c => Assert.Equal(CampaignState.Cancelled, c.State));
    }
}
