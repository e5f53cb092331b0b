using Azure.Storage.Queues;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;
using Hold = Personalization.Decisioning.Campaigns.CampaignHold;

namespace Personalization.Server.Tests;

/// <summary>
/// The automatic hold at a test share over real gRPC on a real server with Azurite: the variants go to the test
/// share, the rest is held, and a second walk sends the held members the winner (or the first variant at the
/// deadline) exactly once; cancelled, the held members get nothing.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class CampaignHoldTests(ServerEnvironment environment)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task AClearWinnerOnTheTestShareIsSentToTheHeldMembersExactlyOnce()
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["Storage:DeliveryLead"] = "1.02:00:00"; // every delivery visible now, to read them back
        await using var server = await TestServer.StartAsync(settings);
        var (events, campaigns) = (new EventService.EventServiceClient(server.Channel), new CampaignService.CampaignServiceClient(server.Channel));
        var queue = new QueueClient(environment.Azurite.ConnectionString, $"{settings["Storage:QueuePrefix"]}-email");
        var (ids, definition) = await CampaignExperimentTests.TwoVariantCampaignAsync(server.Channel, 500, 0.1, "plain", "bold");
        var (plain, bold) = (definition.Variants[0].OfferIds[0], definition.Variants[1].OfferIds[0]);
        definition.AutoWinner = new AutoWinner { MinExposure = 20, TestShare = 0.3, DecideBy = Duration.FromTimeSpan(TimeSpan.FromHours(1)) };
        await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = definition });
        await campaigns.StartCampaignAsync(new StartCampaignRequest { CampaignId = definition.CampaignId });

        // The test walk: the test share is sent its variants, the rest held; nobody has bought, so it waits.
        var waiting = await UntilAsync(campaigns, definition.CampaignId, p => p.Hold.Phase == HoldPhase.Waiting);
        var tested = await DeliveriesAsync(queue, definition.CampaignId);
        var paused = await campaigns.PauseCampaignAsync(new PauseCampaignRequest { CampaignId = definition.CampaignId });
        await campaigns.ResumeCampaignAsync(new ResumeCampaignRequest { CampaignId = definition.CampaignId });

        // Every "bold" test member buys, and one "plain" one: bold is the clear winner.
        foreach (var id in tested.Where(d => d.Offer == bold).Select(d => d.Customer).Append(tested.First(d => d.Offer == plain).Customer))
        {
            await events.TrackAsync(new TrackRequest { Event = Ev.Purchase(id, DateTime.UtcNow, 25) });
        }

        var done = (await CampaignTests.WatchAsync(campaigns, definition.CampaignId, Patience))[^1];
        var released = await DeliveriesAsync(queue, definition.CampaignId);
        var hold = done.Hold;
        var holdout = done.Suppressed.Single(s => s.Reason == SuppressionReason.Holdout).Count;

        Assert.Equal((HoldPhase.Waiting, 0.3), (waiting.Hold.Phase, waiting.Hold.TestShare));
        Assert.Equal(waiting.Decided, waiting.Hold.TestMembers);
        Assert.Equal(500, waiting.Decided + waiting.Hold.Held); // every member either decided (test share, holdout) or held
        Assert.InRange(waiting.Hold.Held, 240, 390); // about 0.9 x 0.7 x 500 = 315
        Assert.Equal(waiting.Decided - holdout, tested.Count);
        Assert.All(tested, d => Assert.True(Hold.InTestShare(definition.CampaignId, d.Customer, 0.3)));
        Assert.Equal(HoldPhase.Waiting, paused.Progress.Hold.Phase);
        Assert.Equal(CampaignState.Paused, paused.State);
        Assert.NotNull(waiting.Hold.DecideBy);
        Assert.Empty(waiting.Hold.ReleaseVariant);

        Assert.Equal(CampaignState.Completed, done.State);
        Assert.Equal((HoldPhase.Released, "bold", "winner"), (hold.Phase, hold.ReleaseVariant, hold.ReleaseReason));
        Assert.Equal("bold", done.Experiment.Winner);
        Assert.Equal((waiting.Hold.Held, waiting.Hold.Held, waiting.Decided), (hold.Held, hold.Released, hold.TestMembers));
        Assert.Equal((500L, 500L), (done.Decided, done.Targeted));
        Assert.Equal(hold.Released, done.Arms.Single(a => a.Name == "after_winner").Members);
        Assert.Equal(hold.TestMembers - holdout, done.Experiment.Variants.Sum(v => v.Members));
        // The held members got the winner, once each; no test member was sent anything again.
        Assert.Equal(hold.Released, released.Count);
        Assert.All(released, d => Assert.Equal(bold, d.Offer));
        Assert.Equal(released.Count, released.Select(d => d.Customer).Distinct().Count());
        Assert.Empty(released.Select(d => d.Customer).Intersect(tested.Select(d => d.Customer)));
        Assert.Equal(500 - (int)holdout, tested.Count + released.Count);
        Assert.Subset(ids.ToHashSet(), released.Select(d => d.Customer).ToHashSet());
    }

    [Fact]
    public async Task WithNoWinnerByTheDeadlineTheHeldMembersGetTheFirstVariant()
    {
        var shared = environment.Shared;
        var (campaigns, profiles) = (new CampaignService.CampaignServiceClient(shared.Channel), new ProfileService.ProfileServiceClient(shared.Channel));
        var (ids, definition) = await CampaignExperimentTests.TwoVariantCampaignAsync(shared.Channel, 150, 0, "plain", "bold");
        var plain = definition.Variants[0].OfferIds[0];
        // Nobody buys, so no winner can come; the deadline passes during or soon after the test walk.
        definition.AutoWinner = new AutoWinner { MinExposure = 20, TestShare = 0.2, DecideBy = Duration.FromTimeSpan(TimeSpan.FromSeconds(3)) };
        await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = definition });
        await campaigns.StartCampaignAsync(new StartCampaignRequest { CampaignId = definition.CampaignId });

        var done = (await CampaignTests.WatchAsync(campaigns, definition.CampaignId, Patience))[^1];
        var hold = done.Hold;
        var offers = new Dictionary<string, List<string>>();
        foreach (var id in ids)
        {
            var profile = await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = id });
            offers[id] = [.. profile.RecentDecisions.Where(d => d.CampaignId == definition.CampaignId).Select(d => d.OfferId)];
        }

        var heldIds = ids.Where(id => !Hold.InTestShare(definition.CampaignId, id, 0.2)).ToList();
        Assert.Equal(CampaignState.Completed, done.State);
        Assert.Equal((HoldPhase.Released, "plain", "deadline"), (hold.Phase, hold.ReleaseVariant, hold.ReleaseReason));
        Assert.Empty(done.Experiment.Winner);
        Assert.Equal((heldIds.Count, heldIds.Count, 150 - heldIds.Count), ((int)hold.Held, (int)hold.Released, (int)hold.TestMembers));
        Assert.Equal(150, done.Decided);
        Assert.All(ids, id => Assert.Single(offers[id])); // every member decided exactly once
        Assert.All(heldIds, id => Assert.Equal(plain, offers[id].Single()));
        Assert.Equal(hold.Released, done.Arms.Single(a => a.Name == "after_winner").Members);
        Assert.True(hold.ReleasedAt.ToDateTime() >= hold.DecideBy.ToDateTime());
    }

    [Fact]
    public async Task ACancelledCampaignNeverSendsItsHeldMembersAnything()
    {
        var shared = environment.Shared;
        var (campaigns, profiles) = (new CampaignService.CampaignServiceClient(shared.Channel), new ProfileService.ProfileServiceClient(shared.Channel));
        var (ids, definition) = await CampaignExperimentTests.TwoVariantCampaignAsync(shared.Channel, 120, 0, "plain", "bold");
        definition.AutoWinner = new AutoWinner { MinExposure = 20, TestShare = 0.25, DecideBy = Duration.FromTimeSpan(TimeSpan.FromDays(1)) };
        await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = definition });
        await campaigns.StartCampaignAsync(new StartCampaignRequest { CampaignId = definition.CampaignId });

        await UntilAsync(campaigns, definition.CampaignId, p => p.Hold.Phase == HoldPhase.Waiting);
        var cancelled = await campaigns.CancelCampaignAsync(new CancelCampaignRequest { CampaignId = definition.CampaignId });
        var resume = await Assert.ThrowsAsync<RpcException>(() => campaigns.ResumeCampaignAsync(new ResumeCampaignRequest { CampaignId = definition.CampaignId }).ResponseAsync);
        var decided = 0;
        foreach (var id in ids.Where(id => !Hold.InTestShare(definition.CampaignId, id, 0.25)))
        {
            var profile = await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = id });
            decided += profile.RecentDecisions.Count(d => d.CampaignId == definition.CampaignId);
        }

        Assert.Equal(CampaignState.Cancelled, cancelled.State);
        Assert.Equal(HoldPhase.NotReleased, cancelled.Progress.Hold.Phase);
        Assert.True(cancelled.Progress.Hold.Held > 0);
        Assert.Equal(0, cancelled.Progress.Hold.Released);
        Assert.Equal(0, decided);
        Assert.Equal(StatusCode.FailedPrecondition, resume.StatusCode); // nothing restarts it
    }

    [Theory]
    [InlineData("share", "campaign.auto_winner.test_share")]
    [InlineData("no-deadline", "campaign.auto_winner.decide_by")]
    [InlineData("long-deadline", "campaign.auto_winner.decide_by")]
    [InlineData("deadline-alone", "campaign.auto_winner.decide_by")]
    public async Task ABadHoldIsRefusedNamingTheFieldAndNothingIsCreated(string what, string field)
    {
        var shared = environment.Shared;
        var (segments, campaigns) = (new SegmentService.SegmentServiceClient(shared.Channel), new CampaignService.CampaignServiceClient(shared.Channel));
        var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(shared.Channel), Channel.Email);
        var segment = $"bad-hold-{Guid.NewGuid():N}"[..20];
        await segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = segment, Rule = "purchases > 1000000" } });
        var definition = CampaignTests.Definition(segment, offer, 0.1);
        definition.CampaignId = $"bad-hold-{Guid.NewGuid():N}"[..24];
        definition.Variants.Add(new CampaignVariant { Name = "a", Weight = 0.5 });
        definition.Variants.Add(new CampaignVariant { Name = "b", Weight = 0.5 });
        definition.AutoWinner = new AutoWinner
        {
            MinExposure = 50,
            TestShare = what switch { "share" => 0.9, "deadline-alone" => 0, _ => 0.2 },
            DecideBy = what switch { "no-deadline" => null, "long-deadline" => Duration.FromTimeSpan(TimeSpan.FromDays(120)), _ => Duration.FromTimeSpan(TimeSpan.FromHours(6)) },
        };

        var error = await Assert.ThrowsAsync<RpcException>(() => campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = definition }).ResponseAsync);
        var missing = await Assert.ThrowsAsync<RpcException>(() => campaigns.GetCampaignAsync(new GetCampaignRequest { CampaignId = definition.CampaignId }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field, error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    // Polls the campaign (generously: a slow machine walks slowly) until its progress satisfies the condition.
    private static async Task<CampaignProgress> UntilAsync(CampaignService.CampaignServiceClient campaigns, string id, Func<CampaignProgress, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            var progress = (await campaigns.GetCampaignAsync(new GetCampaignRequest { CampaignId = id })).Progress;
            if (condition(progress))
            {
                return progress;
            }

            Assert.True(DateTime.UtcNow < deadline, $"campaign {id} did not get there in {Patience}; last: {progress}");
            await Task.Delay(100);
        }
    }

    // The campaign's deliveries visible on the email queue now (each read once: drained).
    private static async Task<List<(string Customer, string Offer)>> DeliveriesAsync(QueueClient queue, string campaignId)
    {
        await queue.CreateIfNotExistsAsync();
        return [.. (await CampaignTests.DrainAsync(queue))
            .Where(m => m.GetProperty("campaign_id").GetString() == campaignId)
            .SelectMany(m => m.GetProperty("deliveries").EnumerateArray())
            .Select(d => (d.GetProperty("customer_id").GetString()!, d.GetProperty("offer_id").GetString()!))];
    }
}
