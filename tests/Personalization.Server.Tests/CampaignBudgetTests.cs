using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>A campaign whose offer has a total cap sends it to no more members than the cap, and the rest are told why.</summary>
[Collection(ServerCollection.Name)]
public sealed class CampaignBudgetTests(ServerEnvironment environment)
{
    [Fact]
    public async Task ACampaignNeverSendsACappedOfferToMoreMembersThanItsBudget()
    {
        var shared = environment.Shared;
        var (events, segments, campaigns, offers) = (new EventService.EventServiceClient(shared.Channel), new SegmentService.SegmentServiceClient(shared.Channel),
            new CampaignService.CampaignServiceClient(shared.Channel), new OfferService.OfferServiceClient(shared.Channel));
        var offer = new Offer { OfferId = $"o-{Guid.NewGuid():N}", Name = "first 12 only", Type = OfferType.Discount, Value = 10, Channels = { Channel.Email }, Caps = new OfferCaps { Total = 12 } };
        await offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer });
        var cohort = Guid.NewGuid().ToString("N");
        await CampaignTests.CustomersAsync(events, cohort, 40);
        var segment = $"budget-{cohort[..8]}";
        await segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = segment, Rule = $"cohort = '{cohort}'" } });
        await SegmentLifecycleTests.ActiveAsync(segments, segment);

        var campaign = await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = CampaignTests.Definition(segment, offer.OfferId, 0) });
        await campaigns.StartCampaignAsync(new StartCampaignRequest { CampaignId = campaign.CampaignId });
        var done = (await CampaignTests.WatchAsync(campaigns, campaign.CampaignId, TimeSpan.FromMinutes(2)))[^1];

        Assert.Equal(40, done.Decided);
        Assert.Equal(12, done.Channels.Single().Queued);
    }
}
