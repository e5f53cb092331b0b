using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Measurement;

namespace Personalization.Decisioning.Tests.Measurement;

/// <summary>What touches and purchases add to the KPI read model, and the rows a report sums from it.</summary>
public sealed class KpiTests
{
    private static readonly DateTime At = new(2026, 3, 10, 15, 0, 0, DateTimeKind.Utc);
    private static readonly DateOnly Day = DateOnly.FromDateTime(At);

    private static readonly Touch[] TwoCampaigns =
    [
        new(At.AddDays(-3), TouchKind.Clicked, Channel.Email, "A", null, "o1"),
        new(At.AddDays(-1), TouchKind.Opened, Channel.Sms, "B", null, "o2"),
    ];

    private static double Sum(IEnumerable<KpiIncrement> increments, string dimension, int slot) =>
        increments.Where(i => i.Dimension == dimension && i.Slot == slot).Sum(i => i.Amount);

    [Fact]
    public void ATouchCountsInTheServiceItsChannelCampaignAndOfferRows()
    {
        var increments = KpiFacts.ForTouch(TwoCampaigns[0]).ToList();

        Assert.Equal(["service", "channel:email", "campaign:A", "offer:o1"], increments.Select(i => i.Dimension));
        Assert.All(increments, i => Assert.Equal((DateOnly.FromDateTime(TwoCampaigns[0].At), (int)KpiMetric.Clicks, 1.0), (i.Day, i.Slot, i.Amount)));
    }

    [Fact]
    public void APurchaseIsOneConversionOfTheServiceAndSplitsItsCreditOverTheCampaignsOnItsPath()
    {
        var increments = KpiFacts.ForPurchase(TwoCampaigns, At, 30.01, null, new AttributionSettings());

        var linear = KpiMetrics.AttributedConversions(AttributionModel.Linear);
        var linearRevenue = KpiMetrics.AttributedRevenue(AttributionModel.Linear);
        Assert.Equal((1.0, 3001.0), (Sum(increments, "service", (int)KpiMetric.Conversions), Sum(increments, "service", (int)KpiMetric.RevenueCents)));
        Assert.Equal((0.5, 0.5, 1.0), (Sum(increments, "campaign:A", linear), Sum(increments, "campaign:B", linear), Sum(increments, "service", linear)));
        Assert.Equal(3001.0, Sum(increments, "campaign:A", linearRevenue) + Sum(increments, "campaign:B", linearRevenue));
        Assert.Equal((0.0, 1.0), (Sum(increments, "campaign:A", KpiMetrics.AttributedConversions(AttributionModel.LastTouch)), Sum(increments, "campaign:B", KpiMetrics.AttributedConversions(AttributionModel.LastTouch))));
        Assert.All(increments, i => Assert.Equal(Day, i.Day));
    }

    [Fact]
    public void AReportSumsTheDaysOfOneDimensionByIdUnderTheChosenModel()
    {
        var increments = KpiFacts.ForTouch(TwoCampaigns[0]).Concat(KpiFacts.ForTouch(TwoCampaigns[1])).Concat(KpiFacts.ForPurchase(TwoCampaigns, At, 30, null, new AttributionSettings()));
        var days = increments.GroupBy(i => i.Day).Select(day => (IReadOnlyDictionary<string, double[]>)day.GroupBy(i => i.Dimension).ToDictionary(d => d.Key, d =>
        {
            var row = new double[KpiMetrics.Count];
            foreach (var i in d)
            {
                row[i.Slot] += i.Amount;
            }

            return row;
        }));

        var campaigns = KpiReport.Rows(days.ToList(), "campaign", null, AttributionModel.FirstTouch);
        var onlyB = KpiReport.Rows(days.ToList(), "campaign", "B", AttributionModel.FirstTouch);
        var service = Assert.Single(KpiReport.Rows(days.ToList(), KpiDimension.Service, null, AttributionModel.FirstTouch));

        Assert.Equal(["A", "B"], campaigns.Select(r => r.Id));
        Assert.Equal((1L, 1.0, 30.0), (campaigns[0].Clicks, campaigns[0].Conversions, campaigns[0].AttributedRevenue));
        Assert.Equal((1L, 0.0), (onlyB.Single().Opens, onlyB.Single().Conversions));
        Assert.Equal((1L, 1L, 1L, 30.0), (service.Clicks, service.Opens, service.Purchases, service.Revenue));
    }

    [Fact]
    public void AnEmptyRangeStillHasAServiceRowOfZeros()
    {
        var service = Assert.Single(KpiReport.Rows([], KpiDimension.Service, null, AttributionModel.Linear));

        Assert.Equal((0L, 0L, 0.0), (service.Sends, service.Purchases, service.ConversionRate.Rate));
    }

    [Fact]
    public void TwoClicksInThreeDeliveriesHaveTheWilsonInterval()
    {
        var rate = Proportion.Of(2, 3);

        // Wilson 1927: centre (p + z²/2n)/(1 + z²/n) = 0.5731, half-width 0.3654.
        Assert.Equal((0.6667, 0.2077, 0.9385), (Math.Round(rate.Rate, 4), Math.Round(rate.Low, 4), Math.Round(rate.High, 4)));
    }

    [Fact]
    public void TheGlobalControlEffectPoolsEveryCampaignsMembersOutsideAndInsideTheControl()
    {
        var first = new CampaignMeasurement();
        var second = new CampaignMeasurement();
        foreach (var (campaign, suppression, count) in new[] { (first, CampaignSuppression.None, 90), (first, CampaignSuppression.Holdout, 10), (first, CampaignSuppression.GlobalControl, 5), (second, CampaignSuppression.None, 45), (second, CampaignSuppression.GlobalControl, 3) })
        {
            for (var i = 0; i < count; i++)
            {
                campaign.Count(new CampaignDecision($"c{i}", suppression, [], Repeat: false));
            }
        }

        first.Convert(new CampaignConversion("first", CampaignSuppression.None, 0, false, 0, 10, First: true));

        var effect = KpiReport.GlobalControlEffect([first, second]);

        Assert.Equal((145L, 8L), (effect.TreatmentSize, effect.ControlSize));
        Assert.Equal(1.0 / 145, effect.Treatment, 12);
    }
}
