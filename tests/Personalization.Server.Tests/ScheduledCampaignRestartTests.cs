using Azure;
using Azure.Storage.Queues;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>Reminders live in Azure Table storage, so a one-silo deployment keeps its schedules across a restart.</summary>
[Collection(ServerCollection.Name)]
public sealed class ScheduledCampaignRestartTests(ServerEnvironment environment)
{
    private const int Members = 20;

    [Fact]
    public async Task ACampaignScheduledBeforeARestartOfItsOnlySiloStartsOnTimeAfterIt()
    {
        var settings = TestServer.Settings(environment.Azurite);
        string campaignId;
        await using (var server = await TestServer.StartAsync(settings))
        {
            var segments = new SegmentService.SegmentServiceClient(server.Channel);
            var campaigns = new CampaignService.CampaignServiceClient(server.Channel);
            var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(server.Channel), Channel.Email);
            var cohort = Guid.NewGuid().ToString("N");
            await CampaignTests.CustomersAsync(new EventService.EventServiceClient(server.Channel), cohort, Members);
            await segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = "scheduled-audience", Rule = $"cohort = '{cohort}'" } });
            Assert.Equal(Members, (await SegmentLifecycleTests.ActiveAsync(segments, "scheduled-audience")).MemberCount);
            await Task.Delay(1500); // membership shards save within a second

            campaignId = (await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = CampaignTests.Definition("scheduled-audience", offer, 0) })).CampaignId;
            var startAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow.AddSeconds(20));
            Assert.Equal(CampaignState.Scheduled, (await campaigns.StartCampaignAsync(new StartCampaignRequest { CampaignId = campaignId, StartAt = startAt })).State);
        }

        await using var restarted = await TestServer.StartAsync(settings);

        // Nothing calls the campaign: only its reminder, read back from the table, can start it.
        // Its deliveries are for a later hour: they wait on the scheduled queue.
        var queue = new QueueClient(environment.Azurite.ConnectionString, $"{settings["Storage:QueuePrefix"]}-scheduled");
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (await QueuedAsync(queue) < Members && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        var campaign = await new CampaignService.CampaignServiceClient(restarted.Channel).GetCampaignAsync(new GetCampaignRequest { CampaignId = campaignId });
        Assert.Equal(CampaignState.Completed, campaign.State);
        Assert.Equal((Members, Members), (campaign.Progress.Targeted, campaign.Progress.Decided));
    }

    // Hidden messages (deliveries not yet due) count too.
    private static async Task<int> QueuedAsync(QueueClient queue)
    {
        try
        {
            return (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0;
        }
    }
}
