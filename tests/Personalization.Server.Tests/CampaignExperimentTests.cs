using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;
using DomainVariant = Personalization.Decisioning.Campaigns.CampaignVariant;
using Variants = Personalization.Decisioning.Campaigns.CampaignVariants;

namespace Personalization.Server.Tests;

/// <summary>A campaign with two variants and a holdout over real gRPC: assignment, per-variant results with intervals, bad experiments.</summary>
[Collection(ServerCollection.Name)]
public sealed class CampaignExperimentTests(ServerEnvironment environment)
{
    [Fact]
    public async Task TwoVariantsAndAHoldoutRunEndToEndWithPerVariantResultsAndIntervals()
    {
        var shared = environment.Shared;
        var (events, campaigns, profiles) = (new EventService.EventServiceClient(shared.Channel), new CampaignService.CampaignServiceClient(shared.Channel), new ProfileService.ProfileServiceClient(shared.Channel));
        var (ids, definition) = await TwoVariantCampaignAsync(shared.Channel, 120, 0.2, "ten", "twenty");
        definition.Variants[0].Content = "Ten percent for you";
        definition.Variants[1].Content = "Twenty percent, this week";

        await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = definition });
        await campaigns.StartCampaignAsync(new StartCampaignRequest { CampaignId = definition.CampaignId });
        await CampaignTests.WatchAsync(campaigns, definition.CampaignId, TimeSpan.FromMinutes(2));
        var decided = new Dictionary<string, string>();
        foreach (var id in ids)
        {
            var profile = await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = id });
            if (profile.RecentDecisions.SingleOrDefault(d => d.CampaignId == definition.CampaignId) is { } decision)
            {
                decided[id] = decision.OfferId;
            }
        }

        // Two members who got a delivery buy; one twice (one conversion, both amounts in revenue).
        var buyers = decided.Keys.Take(2).ToList();
        await events.TrackAsync(new TrackRequest { Event = Ev.Purchase(buyers[0], DateTime.UtcNow, 30) });
        await events.TrackAsync(new TrackRequest { Event = Ev.Purchase(buyers[0], DateTime.UtcNow, 20) });
        await events.TrackAsync(new TrackRequest { Event = Ev.Purchase(buyers[1], DateTime.UtcNow, 40) });
        var progress = (await campaigns.GetCampaignAsync(new GetCampaignRequest { CampaignId = definition.CampaignId })).Progress;
        var experiment = progress.Experiment;
        var variants = definition.Variants.Select(v => new DomainVariant { Name = v.Name, Weight = v.Weight }).ToList();

        // Every delivered member got the offer of the variant the stable hash assigns them.
        Assert.All(decided, d => Assert.Equal(definition.Variants[Variants.Assign(definition.CampaignId, d.Key, variants)].OfferIds[0], d.Value));
        Assert.Equal(["ten", "twenty"], experiment.Variants.Select(v => v.Name));
        Assert.Equal(progress.IntentionToTreat.TreatmentMembers, experiment.Variants.Sum(v => v.Members));
        Assert.Equal(120, progress.IntentionToTreat.TreatmentMembers + progress.IntentionToTreat.ControlMembers);
        Assert.Equal(decided.Count, progress.Arms.Single(a => a.Name == "delivered").Members);
        Assert.Equal(2, experiment.Variants.Sum(v => v.Conversions));
        Assert.Equal(90, experiment.Variants.Sum(v => v.Revenue), 6);
        Assert.Equal(90.0 / progress.IntentionToTreat.TreatmentMembers, progress.RevenueIntentionToTreat.TreatmentValue, 6);
        Assert.Equal(2.0 / progress.IntentionToTreat.TreatmentMembers, progress.TreatedConversionRate, 6);
        Assert.False(experiment.SampleRatioMismatch);
        Assert.Equal(["conversion_rate", "revenue_per_recipient"], experiment.Comparisons.Select(c => c.Metric));
        Assert.All(experiment.Comparisons, c => Assert.True(c.Low <= c.Difference && c.Difference <= c.High));
        Assert.Empty(experiment.Winner);
        Assert.False(progress.DeliveredOnly.Randomised);
    }

    [Fact]
    public async Task TheAutoWinnerSendsTheRemainingMembersTheClearWinnerOnly()
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["Fanout:PageSize"] = "1"; // 64 members a round, so the run can be paused after the first rounds
        await using var server = await TestServer.StartAsync(settings);
        var (events, campaigns, profiles) = (new EventService.EventServiceClient(server.Channel), new CampaignService.CampaignServiceClient(server.Channel), new ProfileService.ProfileServiceClient(server.Channel));
        var (ids, definition) = await TwoVariantCampaignAsync(server.Channel, 1_500, 0, "plain", "bold");
        var (plain, bold) = (definition.Variants[0].OfferIds[0], definition.Variants[1].OfferIds[0]);
        definition.AutoWinner = new AutoWinner { MinExposure = 20 };
        await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = definition });

        // Start, pause after the first members, and have every "bold" member and one "plain" member buy.
        await campaigns.StartCampaignAsync(new StartCampaignRequest { CampaignId = definition.CampaignId });
        while ((await campaigns.GetCampaignAsync(new GetCampaignRequest { CampaignId = definition.CampaignId })).Progress.Decided < 256)
        {
            await Task.Delay(20);
        }

        var paused = (await campaigns.PauseCampaignAsync(new PauseCampaignRequest { CampaignId = definition.CampaignId })).Progress;
        var early = new List<(string Id, string Offer)>();
        foreach (var id in ids)
        {
            var profile = await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = id });
            if (profile.RecentDecisions.SingleOrDefault(d => d.CampaignId == definition.CampaignId) is { } decision)
            {
                early.Add((id, decision.OfferId));
            }
        }

        foreach (var (id, _) in early.Where(e => e.Offer == bold).Append(early.First(e => e.Offer == plain)))
        {
            await events.TrackAsync(new TrackRequest { Event = Ev.Purchase(id, DateTime.UtcNow, 25) });
        }

        await campaigns.ResumeCampaignAsync(new ResumeCampaignRequest { CampaignId = definition.CampaignId });
        var done = (await CampaignTests.WatchAsync(campaigns, definition.CampaignId, TimeSpan.FromMinutes(3)))[^1];
        var experiment = done.Experiment;
        var afterWinner = done.Arms.Single(a => a.Name == "after_winner");
        var lateOffers = new HashSet<string>();
        foreach (var id in ids.Except(early.Select(e => e.Id)).Take(200))
        {
            var profile = await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = id });
            lateOffers.Add(profile.RecentDecisions.Single(d => d.CampaignId == definition.CampaignId).OfferId);
        }

        Assert.InRange(paused.Decided, 256, 1_499);
        Assert.Equal(paused.Decided, early.Count);
        Assert.Equal("bold", experiment.Winner);
        Assert.NotNull(experiment.WinnerAt);
        Assert.Equal(1_500, experiment.Variants.Sum(v => v.Members) + afterWinner.Members);
        Assert.Equal(1_500 - paused.Decided, afterWinner.Members); // judged when resumed: every later member got the winner
        Assert.Equal([bold], lateOffers);
    }

    // Customers of a fresh cohort who consented to email, their segment, and a draft campaign over it
    // with two 50/50 variants, each sending its own new email offer.
    internal static async Task<(List<string> Ids, Campaign Definition)> TwoVariantCampaignAsync(ChannelBase channel, int customers, double holdout, string first, string second)
    {
        var segments = new SegmentService.SegmentServiceClient(channel);
        var offers = new OfferService.OfferServiceClient(channel);
        var (firstOffer, secondOffer) = (await CampaignTests.OfferAsync(offers, Channel.Email), await CampaignTests.OfferAsync(offers, Channel.Email));
        var cohort = Guid.NewGuid().ToString("N");
        var ids = await CampaignTests.CustomersAsync(new EventService.EventServiceClient(channel), cohort, customers);
        var segment = $"exp-{cohort[..8]}";
        await segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = segment, Rule = $"cohort = '{cohort}'" } });
        await SegmentLifecycleTests.ActiveAsync(segments, segment);
        var definition = CampaignTests.Definition(segment, firstOffer, holdout);
        definition.CampaignId = $"exp-{cohort[..12]}";
        definition.OfferIds.Add(secondOffer);
        definition.Variants.Add(new CampaignVariant { Name = first, Weight = 0.5, OfferIds = { firstOffer } });
        definition.Variants.Add(new CampaignVariant { Name = second, Weight = 0.5, OfferIds = { secondOffer } });
        return (ids, definition);
    }

    [Theory]
    [InlineData("weights", "campaign.variants.weight")]
    [InlineData("offer", "campaign.variants[1].offer_ids")]
    [InlineData("window", "campaign.variants[0].send_window")]
    public async Task ABadExperimentIsRefusedNamingTheFieldAndNothingIsCreated(string what, string field)
    {
        var shared = environment.Shared;
        var (segments, campaigns) = (new SegmentService.SegmentServiceClient(shared.Channel), new CampaignService.CampaignServiceClient(shared.Channel));
        var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(shared.Channel), Channel.Email);
        var segment = $"bad-exp-{Guid.NewGuid():N}"[..20];
        await segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = segment, Rule = "purchases > 1000000" } });
        var definition = CampaignTests.Definition(segment, offer, 0.1);
        definition.CampaignId = $"bad-exp-{Guid.NewGuid():N}"[..24];
        definition.Variants.Add(new CampaignVariant { Name = "a", Weight = 0.5, SendWindow = what == "window" ? new SendWindow { StartHour = 9, EndHour = 9 } : null });
        definition.Variants.Add(new CampaignVariant { Name = "b", Weight = what == "weights" ? 0.4 : 0.5, OfferIds = { what == "offer" ? "no-such-offer" : offer } });

        var error = await Assert.ThrowsAsync<RpcException>(() => campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = definition }).ResponseAsync);
        var missing = await Assert.ThrowsAsync<RpcException>(() => campaigns.GetCampaignAsync(new GetCampaignRequest { CampaignId = definition.CampaignId }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field, error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }
}
