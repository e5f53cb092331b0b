using Personalization.Console.Access;
using Personalization.Console.Api;
using Personalization.Console.Display;
using Personalization.V1;

namespace Personalization.Console.Tests;

/// <summary>The console's pure parts: which screens a role sees, how values read, templates filled in.</summary>
public sealed class ConsoleLogicTests
{
    [Theory]
    [InlineData("campaign-manager", "Segments,Offers,Campaigns,Journeys,Calendar,Reports")]
    [InlineData("data-scientist", "Models")]
    [InlineData("admin", "Segments,Offers,Campaigns,Journeys,Calendar,Reports,Customers,Models")]
    [InlineData("app", "")]
    public void EachRoleSeesTheScreensItsCallsAllow(string role, string screens) =>
        Assert.Equal(screens, string.Join(",", ScreenAccess.Allowed([role])));

    [Fact]
    public void ATimeTypedInTheViewersZoneIsSentAsTheInstantItMeans()
    {
        var paris = ViewerTime.Find("Europe/Paris");

        var instant = Labels.ParseLocal("2026-12-01 09:30", paris);

        Assert.Equal(new DateTimeOffset(2026, 12, 1, 8, 30, 0, TimeSpan.Zero), instant.ToDateTimeOffset());
        Assert.Equal("2026-12-01 09:30 Europe/Paris", ViewerTime.Format(instant, paris));
    }

    [Fact]
    public void ASessionEndsAtItsExpiry()
    {
        var expires = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero);
        var user = ConsoleClaims.Principal("alice", ["campaign-manager"], "key", "Europe/Paris", expires);

        Assert.True(SessionRevalidator.IsCurrent(user, expires.AddSeconds(-1)));
        Assert.False(SessionRevalidator.IsCurrent(user, expires));
        Assert.False(SessionRevalidator.IsCurrent(new System.Security.Claims.ClaimsPrincipal(), expires.AddDays(-1)));
    }

    [Fact]
    public void CustomersAJourneyDidNotTakeReadByReasonAndNothingShowsWhenNoneWereTurnedAway()
    {
        Assert.Equal("excluded 1,204, total limit 2", JourneySteps.NotEntered([new ReasonCount { Reason = "EXCLUDED", Count = 1204 }, new ReasonCount { Reason = "TOTAL_LIMIT", Count = 2 }]));
        Assert.Equal("", JourneySteps.NotEntered([new ReasonCount { Reason = "EXCLUDED", Count = 0 }]));
        Assert.Equal("", JourneySteps.NotEntered([]));
    }

    [Fact]
    public void ASampleRatioCheckNamesItsDrawAndWarnsOnlyOnAMismatch()
    {
        Assert.Equal("split step pick: p = 0.4200, sizes fit the weights", JourneySteps.SampleRatio(new JourneySampleRatio { StepId = "pick", PValue = 0.42 }));
        Assert.Equal(
            "holdout draw: p < 0.0001 — the group sizes do not fit the weights: do not trust these results",
            JourneySteps.SampleRatio(new JourneySampleRatio { PValue = 0.00001, Mismatch = true }));
    }

    [Fact]
    public void AnUnknownZoneShowsUtc() => Assert.Equal(TimeZoneInfo.Utc, ViewerTime.Find("Mars/Olympus"));

    [Fact]
    public void TheShippedTemplateGetsItsIdAndTheChosenOfferInPlaceOfThePlaceholder()
    {
        var template = JourneyTemplates.All()["abandoned-cart"];

        var journey = JourneyTemplates.Instantiate(template, "cart-1", "", ["o-1"]);

        Assert.Equal(("cart-1", template.Name, "o-1"), (journey.JourneyId, journey.Name, string.Join(",", journey.OfferIds)));
        Assert.Equal("REPLACE-WITH-AN-OFFER-ID", string.Join(",", template.OfferIds));
    }

    [Fact]
    public void EveryShippedTemplateJsonOrYamlIsOfferedAndTakesTheChosenOffer()
    {
        var templates = JourneyTemplates.All();

        Assert.Equal(
            ["abandoned-cart", "birthday", "browse-abandonment", "post-purchase-review", "welcome-series", "win-back"],
            templates.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, template) in templates)
        {
            var journey = JourneyTemplates.Instantiate(template, $"{name}-1", "", ["o-1"]);
            Assert.DoesNotContain(JourneyTemplates.OfferPlaceholder, journey.OfferIds);
            Assert.All(journey.Steps.Where(s => s.KindCase == JourneyStep.KindOneofCase.Send), s => Assert.DoesNotContain(JourneyTemplates.OfferPlaceholder, s.Send.OfferIds));
            Assert.NotEmpty(journey.Steps);
        }
    }

    [Fact]
    public void AudiencesOverlapOnlyAcrossDifferentSegmentsOfUnfinishedCampaignsAndRunningSegmentJourneys()
    {
        Campaign C(string name, string segment, CampaignState state) => new() { Name = name, Segment = segment, State = state };
        Journey J(string name, JourneyState state, JourneyEntry entry) => new() { Name = name, State = state, Entry = entry };
        var audiences = AudienceOverlap.Audiences(
            [C("Spring", "vip", CampaignState.Scheduled), C("Old", "lapsed", CampaignState.Completed), C("Again", "vip", CampaignState.Running), C("It's on", "o'brien", CampaignState.Draft)],
            [J("Win-back", JourneyState.Active, new JourneyEntry { Segment = "lapsed" }), J("Cart", JourneyState.Active, new JourneyEntry { EventType = EventType.AddToCart }), J("Draft", JourneyState.Draft, new JourneyEntry { Segment = "new" })]);

        var pairs = AudienceOverlap.Pairs(audiences, limit: 20);

        Assert.Equal(["campaign Spring", "campaign Again", "campaign It's on", "journey Win-back"], audiences.Select(a => a.What));
        Assert.Equal(
            ["campaign Spring|campaign It's on", "campaign Spring|journey Win-back", "campaign Again|campaign It's on", "campaign Again|journey Win-back", "campaign It's on|journey Win-back"],
            pairs.Select(p => $"{p.First.What}|{p.Second.What}"));
        Assert.Equal("in_segment('vip') and in_segment(\"o'brien\")", pairs[0].Rule);
        Assert.Equal(2, AudienceOverlap.Pairs(audiences, limit: 2).Count);
    }

    [Fact]
    public void ARateReadsWithItsIntervalAndSampleSize()
    {
        Assert.Equal("12.5% [9.0%, 16.0%] of 400", Labels.Rate(new Rate { Value = 0.125, Low = 0.09, High = 0.16, Count = 50, Size = 400 }));
        Assert.Equal("—", Labels.Rate(new Rate()));
        Assert.Equal("—", Labels.Rate(null));
        Assert.Equal("no consent", Labels.Code("NO_CONSENT"));
    }

    [Fact]
    public void EntriesReadAsHowCustomersEnter()
    {
        Assert.Equal("on AddToCart when cart_value > 20", JourneySteps.Entry(new JourneyEntry { EventType = EventType.AddToCart, Rule = "cart_value > 20" }));
        Assert.Equal("joining segment lapsed", JourneySteps.Entry(new JourneyEntry { Segment = "lapsed" }));
        Assert.Equal("each year on their birthday date at 09:00 (their time zone)", JourneySteps.Entry(new JourneyEntry { DateTrait = "birthday", TimeOfDay = "09:00" }));
        Assert.Equal("—", JourneySteps.Entry(null));
    }

    [Fact]
    public void StepsReadAsWhatTheyDo()
    {
        var wait = new JourneyStep { Id = "w", Wait = new WaitStep { Duration = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromHours(26)), Next = "send" } };
        var branch = new JourneyStep { Id = "b", Branch = new BranchStep { Rule = "churn > 0.5", Then = "save" } };
        var split = new JourneyStep { Id = "s", Split = new SplitStep { Paths = { new SplitPath { Name = "a", Weight = 1, Next = "send" }, new SplitPath { Name = "b", Weight = 2 } } } };
        var morning = new JourneyStep { Id = "m", Wait = new WaitStep { UntilLocalTime = "10:00", Next = "send" } };

        Assert.Equal("wait 1d 2h → send", JourneySteps.Describe(wait));
        Assert.Equal("if churn > 0.5 → save, otherwise → complete", JourneySteps.Describe(branch));
        Assert.Equal("split: a (1) → send, b (2) → complete", JourneySteps.Describe(split));
        Assert.Equal("wait until 10:00 on the customer's clock → send", JourneySteps.Describe(morning));
    }

    [Fact]
    public void AnIntervalOnARateReadsInPoints()
    {
        var comparison = new Comparison { Metric = "conversion_rate", Difference = 0.012, Low = -0.003, High = 0.027 };

        Assert.Equal("+1.20 pt [−0.30, +2.70]", Labels.Interval(comparison));
    }

    [Fact]
    public void SampleTraitsKeepTheirTypesAndALineWithoutANameIsRefusedByNumber()
    {
        var traits = Display.Labels.ParseTraits("first_name = Ada\n\ntenure = 14\nspend = 12.5\nvip = true\nnote = a = b");

        Assert.Equal("Ada", traits["first_name"].StringValue);
        Assert.Equal(14, traits["tenure"].IntValue);
        Assert.Equal(12.5, traits["spend"].DoubleValue);
        Assert.True(traits["vip"].BoolValue);
        Assert.Equal("a = b", traits["note"].StringValue);
        Assert.Equal("Sample traits, line 2: write name = value.", Assert.Throws<FormatException>(() => Display.Labels.ParseTraits("a = 1\n= 2")).Message);
    }
}
