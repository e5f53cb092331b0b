using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Tests.Offers;

public sealed class OfferTests
{
    private static readonly DateTime Now = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    private static Offer Valid() => new()
    {
        OfferId = "discount-10",
        Name = "10 off 50",
        Type = OfferType.Discount,
        Reward = 10,
        Difficulty = 50,
        DurationDays = 7,
        Channels = [Channel.Email],
    };

    [Fact]
    public void AValidOfferHasNoErrors()
    {
        Assert.Empty(OfferRules.Validate(Valid()));
    }

    [Fact]
    public void EveryProblemIsNamed()
    {
        var offer = Valid() with { OfferId = "has space", Name = "", Reward = double.NaN, Channels = [], Tags = ["Upper"], Caps = new OfferCaps(PerCustomerPerDay: -1) };

        var fields = OfferRules.Validate(offer).Select(e => e.Field);

        Assert.Equal(["offer.offer_id", "offer.name", "offer.reward", "offer.channels", "offer.caps", "offer.tags"], fields);
    }

    [Fact]
    public void AnOfferIsLiveOnlyWhenActiveAndInsideItsWindow()
    {
        var windowed = Valid() with { ValidFrom = Now.AddDays(-1), ValidUntil = Now.AddDays(1) };

        Assert.True(windowed.IsLive(Now));
        Assert.False(windowed.IsLive(Now.AddDays(2)));
        Assert.False(windowed.IsLive(Now.AddDays(-2)));
        Assert.False((windowed with { Status = OfferStatus.Archived }).IsLive(Now));
    }

    [Fact]
    public void ThePortfolioParsesWithMobileAsPushAndInApp()
    {
        var offers = PortfolioOffers.Parse(["""{"reward": 10, "channels": ["email", "mobile"], "difficulty": 10, "duration": 7.0, "offer_type": "bogo", "id": "ae26"}"""]);

        var offer = Assert.Single(offers);
        Assert.Equal(OfferType.Bogo, offer.Type);
        Assert.Equal([Channel.Email, Channel.Push, Channel.InApp], offer.Channels);
        Assert.Equal(7, offer.DurationDays);
        Assert.Empty(OfferRules.Validate(offer));
    }
}
