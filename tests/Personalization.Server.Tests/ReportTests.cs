using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>Connector events join their decisions, and the KPI report counts them and credits purchases by campaign, journey, segment and day, and lists who responded, over real gRPC with Azurite.</summary>
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

        // The segment's row counts the same touches (members when touched) and the purchase of its member.
        var segmentRow = Assert.Single((await reports.GetReportAsync(new GetReportRequest { FromDay = Today, ToDay = Today, Dimension = ReportDimension.Segment, Id = segment })).Rows);
        Assert.Equal(("segment", segment), (segmentRow.Dimension, segmentRow.Id));
        Assert.Equal((3, 3, 2, 1), (segmentRow.Deliveries, segmentRow.Opens, segmentRow.Clicks, segmentRow.Purchases));
        Assert.Equal((42.50, 1.0), (segmentRow.Revenue, segmentRow.Conversions));

        // Day by day: one row for today, with the same figures.
        var daily = Assert.Single((await reports.GetReportAsync(new GetReportRequest { FromDay = DateTime.UtcNow.AddDays(-2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ToDay = Today, Dimension = ReportDimension.Campaign, Id = campaign.CampaignId, ByDay = true })).Rows);
        Assert.Equal((Today, 3L, 2L), (daily.Day, daily.Deliveries, daily.Clicks));

        // Who clicked (connector and RecordOutcome alike) and who converted (the campaign's purchase rule), paged.
        var firstClicker = await reports.ListRespondersAsync(new ListRespondersRequest { CampaignId = campaign.CampaignId, Outcome = ResponderOutcome.Clicked, Page = new PageRequest { PageSize = 1 } });
        var secondClicker = await reports.ListRespondersAsync(new ListRespondersRequest { CampaignId = campaign.CampaignId, Outcome = ResponderOutcome.Clicked, Page = new PageRequest { PageSize = 1, PageToken = firstClicker.Page.NextPageToken } });
        var converted = await reports.ListRespondersAsync(new ListRespondersRequest { CampaignId = campaign.CampaignId, Outcome = ResponderOutcome.Converted });
        Assert.Equal(2, firstClicker.Page.TotalSize);
        Assert.Equal(new[] { treated[0].Customer, treated[1].Customer }.Order(StringComparer.Ordinal), firstClicker.CustomerIds.Concat(secondClicker.CustomerIds));
        Assert.Equal("", secondClicker.Page.NextPageToken);
        Assert.Equal([treated[0].Customer], converted.CustomerIds);
    }

    [Fact]
    public async Task AJourneySendHasItsOwnReportRowAndResponderList()
    {
        // A server of its own, as the journey tests do: the shared server's queues must stay empty for the campaign tests.
        await using var server = await TestServer.StartAsync(TestServer.Settings(environment.Azurite));
        var (events, journeys, decisions, profiles, reports) = (new EventService.EventServiceClient(server.Channel), new JourneyService.JourneyServiceClient(server.Channel),
            new DecisionService.DecisionServiceClient(server.Channel), new ProfileService.ProfileServiceClient(server.Channel), new ReportService.ReportServiceClient(server.Channel));
        var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(server.Channel), Channel.Email, Channel.Push);
        var created = await journeys.CreateJourneyAsync(new CreateJourneyRequest { Journey = JourneyTests.AbandonedCart(offer, TimeSpan.FromSeconds(1)) });
        await journeys.ActivateJourneyAsync(new JourneyIdRequest { JourneyId = created.JourneyId });
        await Task.Delay(TimeSpan.FromMilliseconds(1200)); // the silo's journey cache
        var customer = await JourneyTests.ReachableCustomerAsync(events);
        await events.TrackAsync(new TrackRequest { Event = Ev.Cart(customer, EventType.AddToCart, DateTime.UtcNow, "p1", 1, 30) });
        await JourneyTests.WaitForAsync(journeys, created.JourneyId, s => s.Steps.Single(p => p.StepId == "remind").Sent.Sum(c => c.Count) == 1, TimeSpan.FromSeconds(20));
        var sent = (await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = customer })).RecentDecisions.Single(d => d.OfferId == offer);

        var delivered = Ev.Of(customer, EventType.MessageDelivered, DateTime.UtcNow, sent.Channel);
        delivered.Message = new MessageDetail { MessageId = $"{created.JourneyId}:{customer}:1:remind", DecisionId = sent.DecisionId, OfferId = offer };
        await events.TrackAsync(new TrackRequest { Event = delivered });
        await decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = customer, DecisionId = sent.DecisionId, OfferId = offer, Outcome = Outcome.Clicked });
        var purchase = Ev.Purchase(customer, DateTime.UtcNow, 30);
        purchase.Purchase.OfferId = offer;
        await events.TrackAsync(new TrackRequest { Event = purchase });
        var row = await RowAsync(reports, ReportDimension.Journey, created.JourneyId, r => r.Clicks == 1 && r.Conversions > 0);
        var clicked = await reports.ListRespondersAsync(new ListRespondersRequest { JourneyId = created.JourneyId, StepId = "remind", Outcome = ResponderOutcome.Clicked });
        var otherStep = await Assert.ThrowsAsync<RpcException>(async () => await reports.ListRespondersAsync(new ListRespondersRequest { JourneyId = created.JourneyId, StepId = "wait-1h", Outcome = ResponderOutcome.Clicked }));

        Assert.Equal(("journey", created.JourneyId), (row.Dimension, row.Id));
        Assert.Equal((1L, 1L), (row.Deliveries, row.Clicks));
        Assert.Equal((1.0, 30.0), (row.Conversions, row.AttributedRevenue));
        Assert.Equal([customer], clicked.CustomerIds);
        Assert.Equal(StatusCode.NotFound, otherStep.StatusCode);
        Assert.StartsWith("step_id:", otherStep.Status.Detail, StringComparison.Ordinal);

        // Erased: no longer listed as a responder.
        await profiles.ForgetProfileAsync(new ForgetProfileRequest { CustomerId = customer });
        var afterErasure = await reports.ListRespondersAsync(new ListRespondersRequest { JourneyId = created.JourneyId, StepId = "remind", Outcome = ResponderOutcome.Clicked });
        Assert.Empty(afterErasure.CustomerIds);
        Assert.Equal(0, afterErasure.Page.TotalSize);
    }

    [Fact]
    public async Task BadResponderRequestsAreRefusedNamingTheField()
    {
        var reports = new ReportService.ReportServiceClient(environment.Shared.Channel);

        async Task<RpcException> Fails(ListRespondersRequest request) => await Assert.ThrowsAsync<RpcException>(async () => await reports.ListRespondersAsync(request));

        var neither = await Fails(new ListRespondersRequest { Outcome = ResponderOutcome.Clicked });
        var both = await Fails(new ListRespondersRequest { CampaignId = "a", JourneyId = "b", StepId = "c", Outcome = ResponderOutcome.Clicked });
        var noOutcome = await Fails(new ListRespondersRequest { CampaignId = "a" });
        var unknownCampaign = await Fails(new ListRespondersRequest { CampaignId = "no-such-campaign", Outcome = ResponderOutcome.Converted });
        var noStep = await Fails(new ListRespondersRequest { JourneyId = "no-such-journey", Outcome = ResponderOutcome.Converted });
        var unknownJourney = await Fails(new ListRespondersRequest { JourneyId = "no-such-journey", StepId = "s", Outcome = ResponderOutcome.Converted });

        Assert.Equal((StatusCode.InvalidArgument, StatusCode.InvalidArgument, StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.InvalidArgument, StatusCode.NotFound),
            (neither.StatusCode, both.StatusCode, noOutcome.StatusCode, unknownCampaign.StatusCode, noStep.StatusCode, unknownJourney.StatusCode));
        Assert.StartsWith("campaign_id:", neither.Status.Detail, StringComparison.Ordinal);
        Assert.StartsWith("campaign_id:", both.Status.Detail, StringComparison.Ordinal);
        Assert.StartsWith("outcome:", noOutcome.Status.Detail, StringComparison.Ordinal);
        Assert.StartsWith("campaign_id:", unknownCampaign.Status.Detail, StringComparison.Ordinal);
        Assert.StartsWith("step_id:", noStep.Status.Detail, StringComparison.Ordinal);
        Assert.StartsWith("journey_id:", unknownJourney.Status.Detail, StringComparison.Ordinal);
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
    internal static Task<ReportRow> CampaignRowAsync(ReportService.ReportServiceClient reports, string campaignId, Func<ReportRow, bool> ready) =>
        RowAsync(reports, ReportDimension.Campaign, campaignId, ready);

    // One row of today's report once it is ready (or as it stands after a minute).
    private static async Task<ReportRow> RowAsync(ReportService.ReportServiceClient reports, ReportDimension dimension, string id, Func<ReportRow, bool> ready)
    {
        var request = new GetReportRequest { FromDay = Today, ToDay = Today, Dimension = dimension, Id = id };
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
