using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>The whole service stops (gracefully) in the middle of a campaign and starts again on the same storage.</summary>
[Collection(ServerCollection.Name)]
public sealed class WholeRestartTests(ServerEnvironment environment)
{
    private const int Members = 600;

    [Fact]
    public async Task StateAndCampaignProgressSurviveARestartOfTheWholeService()
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["Fanout:PageSize"] = "2";
        string campaignId;
        long decidedBefore;
        List<string> ids;
        await using (var server = await TestServer.StartAsync(settings))
        {
            var events = new EventService.EventServiceClient(server.Channel);
            var segments = new SegmentService.SegmentServiceClient(server.Channel);
            var campaigns = new CampaignService.CampaignServiceClient(server.Channel);
            var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(server.Channel), Channel.Email);
            var cohort = Guid.NewGuid().ToString("N");
            ids = await CampaignTests.CustomersAsync(events, cohort, Members);
            await segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = "restart-audience", Rule = $"cohort = '{cohort}'" } });
            Assert.Equal(Members, (await SegmentLifecycleTests.ActiveAsync(segments, "restart-audience")).MemberCount);
            await Task.Delay(1500); // membership shards save within a second

            campaignId = (await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = CampaignTests.Definition("restart-audience", offer, 0.1) })).CampaignId;
            await campaigns.StartCampaignAsync(new StartCampaignRequest { CampaignId = campaignId });
            while ((await campaigns.GetCampaignAsync(new GetCampaignRequest { CampaignId = campaignId })).Progress.Decided < Members / 4)
            {
                await Task.Delay(20);
            }

            var paused = await campaigns.PauseCampaignAsync(new PauseCampaignRequest { CampaignId = campaignId });
            decidedBefore = paused.Progress.Decided;
            Assert.InRange(decidedBefore, Members / 4, Members - 1);
        }

        await using var restarted = await TestServer.StartAsync(settings);
        var after = new CampaignService.CampaignServiceClient(restarted.Channel);
        var profiles = new ProfileService.ProfileServiceClient(restarted.Channel);

        // State: every customer is back with its events; the campaign is paused where it was.
        var campaign = await after.GetCampaignAsync(new GetCampaignRequest { CampaignId = campaignId });
        Assert.Equal(CampaignState.Paused, campaign.State);
        Assert.Equal(decidedBefore, campaign.Progress.Decided);
        Assert.Equal(Members, (await new SegmentService.SegmentServiceClient(restarted.Channel).GetSegmentAsync(new GetSegmentRequest { Name = "restart-audience" })).MemberCount);

        // Resumed, it finishes with each member decided exactly once.
        await after.ResumeCampaignAsync(new ResumeCampaignRequest { CampaignId = campaignId });
        await CampaignTests.WatchAsync(after, campaignId, TimeSpan.FromMinutes(2));
        var done = await after.GetCampaignAsync(new GetCampaignRequest { CampaignId = campaignId });
        Assert.Equal(CampaignState.Completed, done.State);
        Assert.Equal((Members, Members), (done.Progress.Targeted, done.Progress.Decided));
        var decisions = 0;
        foreach (var id in ids)
        {
            var profile = await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = id });
            Assert.True(profile.EventCount > 0);
            var mine = profile.RecentDecisions.Count(d => d.CampaignId == campaignId);
            Assert.InRange(mine, 0, 1);
            decisions += mine;
        }

        Assert.Equal(done.Progress.Channels.Sum(c => c.Queued), decisions);
    }
}
