using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Journeys;
using Personalization.Decisioning.Measurement;
using Personalization.Decisioning.Offers;
using Personalization.Decisioning.Tests.Journeys;
using Outcome = Personalization.Decisioning.Decisions.Outcome;

namespace Personalization.Decisioning.Tests.Measurement;

/// <summary>Journey sends carry their journey into touches and report rows; segment and day rows; the responder lists an outcome joins.</summary>
public sealed class JourneyAndSegmentRowsTests
{
    private static readonly DateTime T0 = new(2026, 3, 2, 12, 0, 0, DateTimeKind.Utc);
    private static readonly ScoredOffer[] Offers = [new(new Offer { OfferId = "o1", Name = "10% off", Type = OfferType.Discount, Value = 10, Channels = [Channel.Email] }, 0.2, 0, 0)];

    private static double Sum(IEnumerable<KpiIncrement> increments, string dimension, int slot) =>
        increments.Where(i => i.Dimension == dimension && i.Slot == slot).Sum(i => i.Amount);

    private static Dictionary<string, double[]> Counters(IEnumerable<KpiIncrement> increments) =>
        increments.GroupBy(i => i.Dimension).ToDictionary(d => d.Key, d =>
        {
            var row = new double[KpiMetrics.Count];
            foreach (var i in d)
            {
                row[i.Slot] += i.Amount;
            }

            return row;
        });

    [Fact]
    public void AJourneySendRecordsItsJourneyAndStepAndItsClickIsATouchOfTheJourney()
    {
        var journey = JourneyStepsTests.Cart();
        var state = JourneyStepsTests.Consented();
        var enrollment = new Enrollment { JourneyId = "cart", Version = 1, Step = "remind", Number = 1, EnteredAt = T0 };

        var sent = JourneySends.Decide("c1", state, journey, journey.Steps[1], enrollment, Offers, 0.2, new DecisionPolicy { HoldoutShare = 0, ExplorationShare = 0 }, null, T0);
        var decision = Assert.Single(sent.Records);
        var touch = Touches.FromOutcome(decision, Outcome.Clicked, T0.AddHours(1))!;

        Assert.Equal(("cart", "remind", (string?)null), (decision.JourneyId, decision.JourneyStep, decision.CampaignId));
        Assert.Equal("cart", touch.JourneyId);
        Assert.Contains("journey:cart", KpiFacts.ForTouch(touch).Select(i => i.Dimension));
        Assert.Equal("clicked|journey:cart:remind", Responders.ListFor(decision, Outcome.Clicked));
        Assert.Null(Responders.ListFor(decision, Outcome.Opened));
    }

    [Fact]
    public void ATouchCountsInEverySegmentTheCustomerIsInWhenTouched()
    {
        var touch = new Touch(T0, TouchKind.Clicked, Channel.Email, "A", null, "o1");

        var increments = KpiFacts.ForTouch(touch, ["vip", "new"]).ToList();

        Assert.Equal(["service", "channel:email", "campaign:A", "offer:o1", "segment:vip", "segment:new"], increments.Select(i => i.Dimension));
    }

    [Fact]
    public void APurchaseCountsWithItsRevenueInTheBuyersSegmentsAndTheirRowsGetTheWholeCreditOnlyWhenATouchEarnedIt()
    {
        Touch[] path = [new(T0.AddDays(-2), TouchKind.Clicked, Channel.Email, "A", null, "o1"), new(T0.AddDays(-1), TouchKind.Opened, Channel.Sms, "B", null, "o2")];

        var touched = KpiFacts.ForPurchase(path, T0, 30.01, null, new AttributionSettings(), ["vip"]);
        var untouched = KpiFacts.ForPurchase(null, T0, 12, null, new AttributionSettings(), ["vip"]);

        var linear = KpiMetrics.AttributedConversions(AttributionModel.Linear);
        Assert.Equal((1.0, 3001.0), (Sum(touched, "segment:vip", (int)KpiMetric.Conversions), Sum(touched, "segment:vip", (int)KpiMetric.RevenueCents)));
        Assert.Equal((1.0, 3001.0), (Sum(touched, "segment:vip", linear), Sum(touched, "segment:vip", KpiMetrics.AttributedRevenue(AttributionModel.Linear))));
        Assert.Equal((1.0, 1200.0, 0.0), (Sum(untouched, "segment:vip", (int)KpiMetric.Conversions), Sum(untouched, "segment:vip", (int)KpiMetric.RevenueCents), Sum(untouched, "segment:vip", linear)));
    }

    [Fact]
    public void ADayByDayReportHasTheServiceRowOnEveryDayAndOtherRowsOnlyWhereCounted()
    {
        var monday = new Touch(T0, TouchKind.Delivered, Channel.Email, "A", null, null);
        var wednesday = monday with { At = T0.AddDays(2), Kind = TouchKind.Clicked };
        var days = new[]
        {
            (DateOnly.FromDateTime(T0.AddDays(2)), (IReadOnlyDictionary<string, double[]>)Counters(KpiFacts.ForTouch(wednesday))),
            (DateOnly.FromDateTime(T0), Counters(KpiFacts.ForTouch(monday))),
            (DateOnly.FromDateTime(T0.AddDays(1)), new Dictionary<string, double[]>()),
        };

        var service = KpiReport.RowsByDay(days, KpiDimension.Service, null, AttributionModel.LastTouch);
        var campaign = KpiReport.RowsByDay(days, "campaign", "A", AttributionModel.LastTouch);

        Assert.Equal([new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 3), new DateOnly(2026, 3, 4)], service.Select(r => r.Day!.Value));
        Assert.Equal([(1L, 0L), (0L, 0L), (0L, 1L)], service.Select(r => (r.Deliveries, r.Clicks)));
        Assert.Equal([new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 4)], campaign.Select(r => r.Day!.Value));
    }

    [Fact]
    public void OnlyAMemberTheCampaignSentToJoinsItsConvertedListByPurchase()
    {
        var sent = new CampaignConversion("spring", CampaignSuppression.None, 0, false, 0, 20, true);
        var heldOut = sent with { Suppression = CampaignSuppression.Holdout };

        Assert.Equal("converted|campaign:spring", Responders.ListFor(sent));
        Assert.Null(Responders.ListFor(heldOut));
    }

    [Fact]
    public void ErasureFindsEveryListTheCustomerMayBeOn()
    {
        var state = new CustomerState();
        state.Decisions.Add(new DecisionRecord { DecisionId = "d1", OfferId = "o1", JourneyId = "cart", JourneyStep = "remind" });
        state.Decisions.Add(new DecisionRecord { DecisionId = "d2", OfferId = "o1" });
        state.Campaigns.Add(new CampaignMark { CampaignId = "spring" });

        var lists = Responders.Possible(state).ToList();

        Assert.Equal(["clicked|journey:cart:remind", "converted|journey:cart:remind", "clicked|campaign:spring", "converted|campaign:spring"], lists);
    }
}
