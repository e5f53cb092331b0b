using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>Connector events join their decisions, and the KPI report counts them and credits purchases, over real gRPC with Azurite.</summary>
[Collection(ServerCollection.Name)]
public sealed class ReportTests(ServerEnvironment environment)
{
    private static Event Message(string customer, EventType type, DecisionRef decision, string campaignId)
    {
        var e = Ev.Of(customer, type, DateTime.UtcNow, Channel.Email);
        e.Message = new MessageDetail { MessageId = $"{campaignId}:{customer}:{decision.OfferId}", DecisionId = decision.DecisionId, OfferId = decision.OfferId };
        return e;
    }

    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task ConnectorEventsJoinTheirDecisionAndTheReportCountsAndCreditsThem()
    {
        var shared = environment.Shared;
        var (events, segments, campaigns, decisions, profiles, reports) = (new EventService.EventServiceClient(shared.Channel), new SegmentService.SegmentServiceClient(shared.Channel),
            new CampaignService.CampaignServiceClient(shared.Channel), new DecisionService.DecisionServiceClient(shared.Channel), new ProfileService.ProfileServiceClient(shared.Channel),
            new ReportService.ReportServiceClient(shared.Channel));
        var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(shared.Channel), Channel.Email);
        var cohort = Guid.NewGuid().ToString("N");
        var ids = await CampaignTests.CustomersAsync(events, cohort, 30);
        var segment = $"report-{cohort[..8]}";
        await segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = segment, Rule = $"cohort = '{cohort}'" } });
        await SegmentLifecycleTests.ActiveAsync(segments, segment);
        var campaign = await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = CampaignTests.Definition(segment, offer, 0.2) });
        await campaigns.StartCampaignAsync(new StartCampaignRequest { CampaignId = campaign.CampaignId });
        await CampaignTests.WatchAsync(campaigns, campaign.CampaignId, TimeSpan.FromMinutes(2));
        var treated = new List<(string Customer, DecisionRef Decision)>();
        foreach (var id in ids)
        {
            var profile = await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = id });
            if (profile.RecentDecisions.SingleOrDefault(d => d.CampaignId == campaign.CampaignId) is { } d)
            {
                treated.Add((id, new DecisionRef(d.DecisionId, d.OfferId)));
            }
        }

        // Three delivered and opened (one open reported twice, by two events), one clicked by its connector, one through RecordOutcome.
        foreach (var (customer, decision) in treated.Take(3))
        {
            await events.TrackAsync(new TrackRequest { Event = Message(customer, EventType.MessageDelivered, decision, campaign.CampaignId) });
            await events.TrackAsync(new TrackRequest { Event = Message(customer, EventType.MessageOpened, decision, campaign.CampaignId) });
        }

        await events.TrackAsync(new TrackRequest { Event = Message(treated[0].Customer, EventType.MessageOpened, treated[0].Decision, campaign.CampaignId) });
        await events.TrackAsync(new TrackRequest { Event = Message(treated[0].Customer, EventType.MessageClicked, treated[0].Decision, campaign.CampaignId) });
        await decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = treated[1].Customer, DecisionId = treated[1].Decision.DecisionId, OfferId = treated[1].Decision.OfferId, Outcome = Outcome.Clicked });
        var purchase = Ev.Purchase(treated[0].Customer, DateTime.UtcNow, 42.50);
        purchase.Purchase.OfferId = offer;
        await events.TrackAsync(new TrackRequest { Event = purchase });

        var email = (await campaigns.GetCampaignAsync(new GetCampaignRequest { CampaignId = campaign.CampaignId })).Progress.Channels.Single(c => c.Channel == Channel.Email);
        var joined = (await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = treated[0].Customer })).RecentDecisions.Single(d => d.CampaignId == campaign.CampaignId);
        var row = await CampaignRowAsync(reports, campaign.CampaignId, r => r.Clicks == 2 && r.Conversions > 0);

        Assert.Equal((3, 3, 2), (email.Delivered, email.Opened, email.Clicked));
        Assert.Equal("clicked", joined.Outcome);
        Assert.Equal((3, 3, 2), (row.Deliveries, row.Opens, row.Clicks));
        Assert.Equal(1.0, row.Conversions, 9); // every touch on the path is this campaign's
        Assert.Equal(42.50, row.AttributedRevenue, 9);
        Assert.Equal((2.0, 3.0), (row.ClickRate.Count, row.ClickRate.Size));
        Assert.True(row.ClickRate.Low < 2.0 / 3 && 2.0 / 3 < row.ClickRate.High);
        Assert.Equal(42.50, row.AverageOrderValue, 9);
    }

    [Fact]
    public async Task BadRangesAndUnknownCampaignsAreRefusedNamingTheField()
    {
        var reports = new ReportService.ReportServiceClient(environment.Shared.Channel);

        async Task<RpcException> Fails(GetReportRequest request) => await Assert.ThrowsAsync<RpcException>(async () => await reports.GetReportAsync(request));

        var badDay = await Fails(new GetReportRequest { FromDay = "30/11/2026", ToDay = Today });
        var backwards = await Fails(new GetReportRequest { FromDay = "2026-02-01", ToDay = "2026-01-01" });
        var tooLong = await Fails(new GetReportRequest { FromDay = "2024-01-01", ToDay = "2026-01-01" });
        var unknown = await Fails(new GetReportRequest { FromDay = Today, ToDay = Today, Dimension = ReportDimension.Campaign, Id = "no-such-campaign" });
        var badModel = await Fails(new GetReportRequest { FromDay = Today, ToDay = Today, Model = (AttributionModel)99 });

        Assert.Equal((StatusCode.InvalidArgument, StatusCode.InvalidArgument, StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.InvalidArgument),
            (badDay.StatusCode, backwards.StatusCode, tooLong.StatusCode, unknown.StatusCode, badModel.StatusCode));
        Assert.StartsWith("from_day:", badDay.Status.Detail, StringComparison.Ordinal);
        Assert.StartsWith("to_day:", backwards.Status.Detail, StringComparison.Ordinal);
        Assert.StartsWith("to_day:", tooLong.Status.Detail, StringComparison.Ordinal);
        Assert.StartsWith("id:", unknown.Status.Detail, StringComparison.Ordinal);
        Assert.StartsWith("model:", badModel.Status.Detail, StringComparison.Ordinal);
    }

    // The campaign's row once the silo's counters have reached the day grain (they flush every few seconds).
    internal static async Task<ReportRow> CampaignRowAsync(ReportService.ReportServiceClient reports, string campaignId, Func<ReportRow, bool> ready)
    {
        var request = new GetReportRequest { FromDay = Today, ToDay = Today, Dimension = ReportDimension.Campaign, Id = campaignId };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var rows = (await reports.GetReportAsync(request)).Rows;
            if (rows.Count == 1 && ready(rows[0]))
            {
                return rows[0];
            }

            if (DateTime.UtcNow > deadline)
            {
                return rows.Count == 1 ? rows[0] : new ReportRow();
            }

            await Task.Delay(500);
        }
    }

    private sealed record DecisionRef(string DecisionId, string OfferId);
}
