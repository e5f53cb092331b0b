using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Tests.Campaigns;

public sealed class CampaignDecisionsTests
{
    // 09:00 UTC on a Monday: 04:00 in New York, inside the default quiet hours (21:00 to 08:00).
    private static readonly DateTime Now = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    private static readonly DecisionPolicy Policy = new() { ExplorationShare = 0 };

    private static readonly Offer Email10 = new() { OfferId = "email-10", Name = "10% off", Type = OfferType.Discount, Value = 10, Channels = [Channel.Email, Channel.Sms] };

    private static CampaignDefinition Campaign(Action<CampaignDefinitionBuilder>? change = null)
    {
        var builder = new CampaignDefinitionBuilder();
        change?.Invoke(builder);
        return builder.Definition;
    }

    private static CustomerState Member(params Channel[] consented)
    {
        var state = new CustomerState { TimeZone = "America/New_York" };
        state.Segments["vip"] = 1;
        state.EventCount = 1;
        foreach (var channel in consented)
        {
            state.Channel(channel).Consent["marketing"] = new ConsentEntry(true, Now.AddDays(-30));
        }

        return state;
    }

    private static CampaignDecision Decide(CustomerState state, CampaignDefinition campaign, string customer = "c-1") =>
        CampaignDecisions.Decide(customer, state, campaign, [new ScoredOffer(Email10, 0.3, 0, 0)], 0.2, Policy, "d-1", "offer-v1", Now);

    [Fact]
    public void AConsentingMemberGetsADeliveryAtTheirBestHourInsideTheWindow()
    {
        var campaign = Campaign(c => c.Definition = c.Definition with { WindowStartHour = 10, WindowEndHour = 12 });

        var decision = Decide(Member(Channel.Email), campaign);

        Assert.Equal(CampaignSuppression.None, decision.Suppression);
        var delivery = Assert.Single(decision.Deliveries);
        Assert.Equal(("spring:c-1:email-10", "c-1", "d-1", Channel.Email), (delivery.DeliveryId, delivery.CustomerId, delivery.DecisionId, delivery.Channel));
        Assert.Equal(new DateTime(2026, 11, 16, 15, 0, 0, DateTimeKind.Utc), delivery.SendAt); // 10:00 in New York, the first allowed hour (no history)
        Assert.False(decision.Repeat);
    }

    [Fact]
    public void ADeliveryCarriesTheOffersContentRenderedForTheCustomerAndChannel()
    {
        var offer = Email10 with { Contents = [new OfferContent(Channel.Email, "", "Hello {{ traits.first_name }}: {{ offer.name }}"), new OfferContent(Channel.Sms, "", "sms text")] };
        var state = Member(Channel.Email);
        state.Traits["first_name"] = new TraitEntry(TraitValue.Of("Ada"), Now);

        var decision = CampaignDecisions.Decide("c-1", state, Campaign(), [new ScoredOffer(offer, 0.3, 0, 0)], 0.2, Policy, "d-1", "offer-v1", Now);

        Assert.Equal("Hello Ada: 10% off", Assert.Single(decision.Deliveries).Content);
    }

    [Fact]
    public void AServiceMessageReachesAMemberWithServiceConsentOnly()
    {
        var notice = new Offer { OfferId = "notice", Name = "Your plan changes", Type = OfferType.Service, Value = 1, Channels = [Channel.Email] };
        var state = Member();
        state.Channel(Channel.Email).Consent["service"] = new ConsentEntry(true, Now.AddDays(-30));

        var decision = CampaignDecisions.Decide("c-1", state, Campaign(), [new ScoredOffer(notice, 0.3, 0, 0)], 0.2, Policy, "d-1", "offer-v1", Now);

        Assert.Equal(CampaignSuppression.None, decision.Suppression);
        Assert.Equal("notice", Assert.Single(decision.Deliveries).OfferId);
    }

    [Fact]
    public void AskedAgainACustomerAnswersTheFirstDecisionAndRecordsNothingNew()
    {
        var state = Member(Channel.Email);
        var first = Decide(state, Campaign());

        var again = Decide(state, Campaign());

        Assert.True(again.Repeat);
        Assert.Equal(first.Deliveries, again.Deliveries);
        Assert.Single(state.Campaigns);
        Assert.Single(state.Decisions);
        Assert.Equal("spring", state.Decisions[0].CampaignId);
    }

    [Theory]
    [InlineData(CampaignSuppression.NotAMember)]
    [InlineData(CampaignSuppression.NoConsent)]
    [InlineData(CampaignSuppression.Suppressed)]
    [InlineData(CampaignSuppression.NoEligibleOffer)]
    [InlineData(CampaignSuppression.Capped)]
    [InlineData(CampaignSuppression.QuietHours)]
    public void EachReasonForNoDeliveryIsReported(CampaignSuppression reason)
    {
        var state = Member(Channel.Email);
        var campaign = Campaign();
        var offer = Email10;
        switch (reason)
        {
            case CampaignSuppression.NotAMember:
                state.Segments.Clear();
                break;
            case CampaignSuppression.NoConsent:
                state.Channel(Channel.Email).Consent.Clear();
                break;
            case CampaignSuppression.Suppressed:
                state.Channel(Channel.Email).SuppressedReason = "unsubscribed";
                state.Channel(Channel.Sms).SuppressedReason = "unsubscribed";
                break;
            case CampaignSuppression.NoEligibleOffer:
                offer = Email10 with { EligibilityRule = "purchases > 5" };
                break;
            case CampaignSuppression.Capped:
                offer = Email10 with { Caps = new OfferCaps { PerCustomerTotal = 1 } };
                state.OfferGiven["email-10"] = 1;
                break;
            case CampaignSuppression.QuietHours:
                campaign = campaign with { EndAt = Now.AddMinutes(30) };
                break;
        }

        var decision = CampaignDecisions.Decide("c-1", state, campaign, [new ScoredOffer(offer, 0.3, 0, 0)], 0.2, Policy, "d-1", null, Now);

        Assert.Equal(reason, decision.Suppression);
        Assert.Empty(decision.Deliveries);
        Assert.Equal(reason, Assert.Single(state.Campaigns).Suppression);
    }

    [Fact]
    public void TheHoldoutIsStablePerCampaignAndCustomerAndCloseToItsShare()
    {
        var ids = Enumerable.Range(0, 20_000).Select(i => $"c-{i}").ToList();

        var held = ids.Count(id => CampaignDecisions.InHoldout("spring", id, 0.1));
        var heldElsewhere = ids.Where(id => CampaignDecisions.InHoldout("summer", id, 0.1)).ToHashSet();
        var heldInBoth = ids.Count(id => CampaignDecisions.InHoldout("spring", id, 0.1) && heldElsewhere.Contains(id));

        Assert.InRange(held, 1_800, 2_200);
        Assert.True(ids.All(id => CampaignDecisions.InHoldout("spring", id, 0.1) == CampaignDecisions.InHoldout("spring", id, 0.1)));
        Assert.InRange(heldInBoth, 100, 300); // independent per campaign: about 1% in both
        Assert.DoesNotContain(ids, id => CampaignDecisions.InHoldout("spring", id, 0));
    }

    [Fact]
    public void APurchaseConvertsEachRecentCampaignOnceForTreatedAndHoldout()
    {
        var state = Member(Channel.Email);
        state.Campaigns.Add(new CampaignMark { CampaignId = "treated", DecidedAt = Now.AddDays(-2), Suppression = CampaignSuppression.None });
        state.Campaigns.Add(new CampaignMark { CampaignId = "control", DecidedAt = Now.AddDays(-1), Suppression = CampaignSuppression.Holdout });
        state.Campaigns.Add(new CampaignMark { CampaignId = "old", DecidedAt = Now.AddDays(-30), Suppression = CampaignSuppression.None });

        var first = CampaignDecisions.AttributePurchase(state, Now, 30);
        var second = CampaignDecisions.AttributePurchase(state, Now.AddHours(1), 20);
        var free = CampaignDecisions.AttributePurchase(state, Now.AddHours(2), 0);

        Assert.Equal(
            [new CampaignConversion("treated", CampaignSuppression.None, 0, false, 0, 30, First: true), new CampaignConversion("control", CampaignSuppression.Holdout, 0, false, 0, 30, First: true)],
            first);
        Assert.Equal([false, false], second.Select(c => c.First));
        Assert.Equal([30.0, 30.0], second.Select(c => c.RevenueBefore));
        Assert.Empty(free); // converted already, and nothing to add
        Assert.Equal(50, state.Campaigns.Single(m => m.CampaignId == "treated").Revenue);
    }

    [Fact]
    public void AMemberInTheGlobalControlIsHeldOutOfTheCampaign()
    {
        var id = Enumerable.Range(0, 1_000).Select(i => $"c-{i}").First(i => Personalization.Decisioning.Measurement.GlobalControl.IsHeldOut(i, "s1", 0.05));
        var state = Member(Channel.Email);

        var decision = CampaignDecisions.Decide(id, state, Campaign(), [new ScoredOffer(Email10, 0.3, 0, 0)], 0.2, Policy with { GlobalControlShare = 0.05, GlobalControlSalt = "s1" }, "d-1", null, Now);

        Assert.Equal(CampaignSuppression.GlobalControl, decision.Suppression);
        Assert.Empty(decision.Deliveries);
    }

    [Theory]
    [InlineData("", "campaign.campaign_id")]
    [InlineData("offers", "campaign.offer_ids")]
    [InlineData("window", "campaign.send_window")]
    [InlineData("holdout", "campaign.holdout_share")]
    [InlineData("channel", "campaign.channels")]
    [InlineData("max", "campaign.frequency.max_per_customer")]
    [InlineData("end", "campaign.end_at")]
    [InlineData("weights", "campaign.variants.weight")]
    [InlineData("variant-offer", "campaign.variants[1].offer_ids")]
    [InlineData("one-variant", "campaign.variants")]
    [InlineData("variant-window", "campaign.variants[0].send_window")]
    [InlineData("auto-winner", "campaign.auto_winner")]
    public void InvalidCampaignsNameTheField(string what, string field)
    {
        var campaign = what switch
        {
            "" => Campaign() with { CampaignId = "bad id!" },
            "offers" => Campaign() with { OfferIds = [] },
            "window" => Campaign() with { WindowStartHour = 9, WindowEndHour = 9 },
            "holdout" => Campaign() with { HoldoutShare = 0.8 },
            "channel" => Campaign() with { Channels = [Channel.Web] },
            "max" => Campaign() with { MaxPerCustomer = 9 },
            "weights" => Campaign() with { Variants = [new() { Name = "a", Weight = 0.5 }, new() { Name = "b", Weight = 0.6 }] },
            "variant-offer" => Campaign() with { Variants = [new() { Name = "a", Weight = 0.5 }, new() { Name = "b", Weight = 0.5, OfferIds = ["nope"] }] },
            "one-variant" => Campaign() with { Variants = [new() { Name = "a", Weight = 1 }] },
            "variant-window" => Campaign() with { Variants = [new() { Name = "a", Weight = 0.5, WindowStartHour = 9, WindowEndHour = 9 }, new() { Name = "b", Weight = 0.5 }] },
            "auto-winner" => Campaign() with { AutoWinnerMinExposure = 100 },
            _ => Campaign() with { StartAt = Now, EndAt = Now.AddHours(-1) },
        };

        Assert.Contains(CampaignRules.Validate(campaign), e => e.Field == field);
        Assert.Empty(CampaignRules.Validate(Campaign()));
    }

    private sealed class CampaignDefinitionBuilder
    {
        public CampaignDefinition Definition { get; set; } = new()
        {
            CampaignId = "spring",
            Name = "Spring",
            Segment = "vip",
            OfferIds = ["email-10"],
            CreatedAt = Now,
        };
    }
}
