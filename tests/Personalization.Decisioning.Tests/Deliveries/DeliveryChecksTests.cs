using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Deliveries;
using Personalization.Decisioning.Offers;
using Personalization.Decisioning.Tests.Customers;

namespace Personalization.Decisioning.Tests.Deliveries;

public sealed class DeliveryChecksTests
{
    // Decided at 09:00 UTC on a Monday, due at 15:00 UTC (10:00 in New York, outside quiet hours).
    private static readonly DateTime DecidedAt = Events.T0;

    private static readonly DecisionPolicy Policy = new() { ExplorationShare = 0 };

    private static readonly Offer Email10 = new() { OfferId = "email-10", Name = "10% off", Type = OfferType.Discount, Value = 10, Channels = [Channel.Email] };

    private static readonly CampaignDefinition Campaign = new()
    {
        CampaignId = "spring", Name = "Spring", Segment = "vip", OfferIds = ["email-10"], CreatedAt = DecidedAt, WindowStartHour = 10, WindowEndHour = 12,
    };

    /// <summary>A New York member who consented to email, decided for the campaign: the state and its one delivery.</summary>
    private static (CustomerState State, CampaignDelivery Delivery) Decided()
    {
        var state = Events.Apply(Events.Consent(true, Channel.Email, DecidedAt.AddDays(-30)));
        state.TimeZone = "America/New_York";
        state.Segments["vip"] = 1;
        var decision = CampaignDecisions.Decide("c1", state, Campaign, [new ScoredOffer(Email10, 0.3, 0, 0)], 0.2, Policy, "c-1-d", null, DecidedAt);
        return (state, Assert.Single(decision.Deliveries));
    }

    private static DeliveryVerdict CheckAtSendTime(CustomerState? state, CampaignDelivery delivery, string purpose = "marketing") =>
        DeliveryChecks.Check(state, delivery, purpose, Policy, delivery.SendAt);

    [Fact]
    public void ADeliveryWhoseCustomerChangedNothingIsReleased()
    {
        var (state, delivery) = Decided();

        var verdict = CheckAtSendTime(state, delivery);

        Assert.Equal(new DeliveryVerdict(delivery.DeliveryId, DeliveryDrop.None), verdict);
        Assert.True(verdict.Released);
    }

    [Theory]
    [InlineData(CustomerEventType.ConsentWithdrawn, DeliveryDrop.NoConsent)]
    [InlineData(CustomerEventType.Unsubscribed, DeliveryDrop.Unsubscribed)]
    [InlineData(CustomerEventType.SpamComplaint, DeliveryDrop.SpamComplaint)]
    [InlineData(CustomerEventType.MessageBounced, DeliveryDrop.HardBounce)]
    public void AWithdrawalBetweenTheDecisionAndTheSendTimeDropsTheDelivery(CustomerEventType type, DeliveryDrop expected)
    {
        var (state, delivery) = Decided();
        var change = Events.Of(type, DecidedAt.AddHours(1), Channel.Email) with { HardBounce = type == CustomerEventType.MessageBounced };
        CustomerEvents.Apply(state, change);

        var verdict = CheckAtSendTime(state, delivery);

        Assert.Equal(new DeliveryVerdict(delivery.DeliveryId, expected), verdict);
    }

    [Fact]
    public void AnErasedCustomerIsDroppedAsErased()
    {
        var (_, delivery) = Decided();

        var missing = CheckAtSendTime(null, delivery);
        var empty = CheckAtSendTime(new CustomerState(), delivery);

        Assert.Equal(DeliveryDrop.Erased, missing.Drop);
        Assert.Equal(DeliveryDrop.Erased, empty.Drop);
    }

    [Fact]
    public void AProfileCreatedAgainAfterAnErasureDoesNotReceiveTheOldDecisionsDelivery()
    {
        var (_, delivery) = Decided();
        var again = Events.Apply(Events.Consent(true, Channel.Email, DecidedAt.AddHours(2)));

        var verdict = CheckAtSendTime(again, delivery);

        Assert.Equal(DeliveryDrop.DecisionGone, verdict.Drop);
    }

    [Fact]
    public void AServiceMessageNeedsServiceConsentNotMarketing()
    {
        var (state, delivery) = Decided();

        var verdict = CheckAtSendTime(state, delivery, purpose: "service");

        Assert.Equal(DeliveryDrop.NoConsent, verdict.Drop);
    }

    [Fact]
    public void ATimeZoneLearnedSinceTheDecisionHoldsTheDeliveryUntilQuietHoursEnd()
    {
        var (state, delivery) = Decided();
        state.TimeZone = "Asia/Tokyo"; // 15:00 UTC is midnight in Tokyo

        var verdict = CheckAtSendTime(state, delivery);

        Assert.Equal(DeliveryDrop.None, verdict.Drop);
        Assert.False(verdict.Released);
        Assert.Equal(new DateTime(2026, 11, 16, 23, 0, 0, DateTimeKind.Utc), verdict.DeferTo); // 08:00 in Tokyo
    }
}
