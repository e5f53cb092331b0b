using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Offers;
using Personalization.Decisioning.Recommendations;

namespace Personalization.Decisioning.Tests.Decisions;

public sealed class PlacementDecisionTests
{
    /// <summary>Monday 2026-11-16 09:00 UTC.</summary>
    private static readonly DateTime Now = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    private static readonly DecisionPolicy NoHoldoutNoExploration = new() { HoldoutShare = 0, ExplorationShare = 0 };

    private static ScoredOffer Scored(string id, double value, string rule = "", params string[] placements) =>
        new(new Offer { OfferId = id, Name = id, Type = OfferType.Discount, Value = value, Channels = [Channel.Web, Channel.App, Channel.Email], EligibilityRule = rule, Placements = placements }, 0.5, 0, 0);

    private static DecisionRequest Inbound(PlacementContext context, int max = 1, params string[] placements) =>
        new(DecisionMode.Inbound, [Channel.Web], max, [], context, placements);

    [Fact]
    public void AnEligibilityRuleReadsThePlacementAndTheDevice()
    {
        var offers = new[] { Scored("mobile-hero", 5, "context.placement = 'home-hero' and context.device = 'mobile'"), Scored("any", 1) };

        var onPhone = DecisionEngine.Decide("c1", new CustomerState(), offers, 0.1, Inbound(new PlacementContext("home-hero", Device: "mobile")), NoHoldoutNoExploration, 1, Now);
        var onDesktop = DecisionEngine.Decide("c1", new CustomerState(), offers, 0.1, Inbound(new PlacementContext("home-hero", Device: "desktop")), NoHoldoutNoExploration, 1, Now);

        Assert.Equal("mobile-hero", onPhone.Actions.Single().Offer.OfferId);
        Assert.Equal("any", onDesktop.Actions.Single().Offer.OfferId);
    }

    [Fact]
    public void RulesReadThePageTheProductAttributesAndTheLocalHour()
    {
        var offers = new[] { Scored("evening-shoes", 5, "context.page = '/shoes' and context.product_id = 'p-42' and context.attributes.cart_value >= 50 and context.attributes.member and context.local_hour >= 18") };
        var evening = new DateTime(2026, 11, 16, 19, 30, 0, DateTimeKind.Unspecified);
        var attributes = new Dictionary<string, TraitValue> { ["cart_value"] = TraitValue.Of(75.0), ["member"] = TraitValue.Of(true) };

        var matching = DecisionEngine.Decide("c1", new CustomerState(), offers, 0.1, Inbound(new PlacementContext("", "/shoes", "p-42", "", evening, attributes)), NoHoldoutNoExploration, 1, Now);
        var morning = DecisionEngine.Decide("c1", new CustomerState(), offers, 0.1, Inbound(new PlacementContext("", "/shoes", "p-42", "", evening.AddHours(-12), attributes)), NoHoldoutNoExploration, 1, Now);

        Assert.Single(matching.Actions);
        Assert.Empty(morning.Actions);
    }

    [Fact]
    public void AnOfferTargetingPlacementsFillsOnlyThose()
    {
        var offers = new[] { Scored("cart-banner", 9, "", "cart-banner"), Scored("general", 1) };

        var cart = DecisionEngine.Decide("c1", new CustomerState(), offers, 0.1, Inbound(new PlacementContext("cart-banner")), NoHoldoutNoExploration, 1, Now);
        var hero = DecisionEngine.Decide("c1", new CustomerState(), offers, 0.1, Inbound(new PlacementContext("home-hero")), NoHoldoutNoExploration, 1, Now);

        Assert.Equal(("cart-banner", "cart-banner"), (cart.Actions.Single().Offer.OfferId, cart.Actions.Single().Placement));
        Assert.Equal("general", hero.Actions.Single().Offer.OfferId);
        Assert.Contains("cart-banner skipped: not for placement 'home-hero' (cart-banner)", hero.Suppressions);
    }

    [Fact]
    public void SeveralPlacementsAreFilledInOrderNeverWithTheSameOfferTwice()
    {
        var offers = new[] { Scored("best", 10), Scored("second", 8), Scored("third", 6), Scored("hero-only", 1, "context.placement = 'home-hero'") };

        var result = DecisionEngine.Decide("c1", new CustomerState(), offers, 0.1, Inbound(PlacementContext.None, 2, "home-hero", "home-footer"), NoHoldoutNoExploration, 1, Now);

        Assert.Equal(
            [("home-hero", 1, "best"), ("home-hero", 2, "second"), ("home-footer", 1, "third")],
            result.Actions.Select(a => (a.Placement, a.Rank, a.Offer.OfferId)));
    }

    [Fact]
    public void ASingleRequestWithoutPlacementsWorksAsBefore()
    {
        var offers = new[] { Scored("a", 10), Scored("b", 8) };

        var result = DecisionEngine.Decide("c1", new CustomerState(), offers, 0.1, new DecisionRequest(DecisionMode.Inbound, [Channel.Web], 2, []), NoHoldoutNoExploration, 1, Now);

        Assert.Equal([("", 1, "a"), ("", 2, "b")], result.Actions.Select(a => (a.Placement, a.Rank, a.Offer.OfferId)));
    }

    [Fact]
    public void AServiceMessageNeedsServiceConsentNotMarketingConsent()
    {
        var service = new ScoredOffer(new Offer { OfferId = "delivery-update", Name = "d", Type = OfferType.Service, Value = 1, Channels = [Channel.Email] }, 0.5, 0, 0);
        var marketing = new ScoredOffer(new Offer { OfferId = "sale", Name = "s", Type = OfferType.Discount, Value = 1, Channels = [Channel.Email] }, 0.5, 0, 0);
        var serviceOnly = new CustomerState();
        serviceOnly.Channel(Channel.Email).Consent["service"] = new ConsentEntry(true, Now.AddDays(-1));
        serviceOnly.Channel(Channel.Email).Consent["marketing"] = new ConsentEntry(false, Now.AddDays(-1));
        var outbound = new DecisionRequest(DecisionMode.Outbound, [], 3, []);

        var result = DecisionEngine.Decide("c1", serviceOnly, [service, marketing], 0.1, outbound, NoHoldoutNoExploration, 1, Now);

        Assert.Equal("delivery-update", result.Actions.Single().Offer.OfferId);
        Assert.Contains("sale: email skipped: no consent", result.Suppressions);
    }

    [Fact]
    public void AnOfferWhoseBudgetIsSpentIsLeftOut()
    {
        var offers = new[] { Scored("capped", 10), Scored("open", 1) };

        var result = DecisionEngine.Decide("c1", new CustomerState(), offers, 0.1, Inbound(PlacementContext.None), NoHoldoutNoExploration, 1, Now, new HashSet<string> { "capped" });

        Assert.Equal("open", result.Actions.Single().Offer.OfferId);
    }

    [Fact]
    public void EachPlacementsContentRendersItsOwnItems()
    {
        static RecommendedItem Item(string id, string name) => new(new Personalization.Decisioning.Products.Product { ProductId = id, Name = name, Price = 2.5 }, 1, "popular");
        var template = "{% for item in items %}{{ item.name }} {{ item.price }};{% endfor %}";
        var hero = new Offer { OfferId = "hero", Name = "hero", Type = OfferType.Discount, Value = 2, Channels = [Channel.Web], Contents = [new OfferContent(Channel.Web, "", template)] };
        var footer = hero with { OfferId = "footer", Value = 1 };
        PlacementItems[] items = [new("home-hero", [Item("p1", "Mug"), Item("p2", "Jug")]), new("home-footer", [Item("p3", "Lamp")])];

        var result = DecisionEngine.Decide("c1", new CustomerState(), [new ScoredOffer(hero, 0.5, 0, 0), new ScoredOffer(footer, 0.5, 0, 0)], 0.1, Inbound(PlacementContext.None, 1, "home-hero", "home-footer"), NoHoldoutNoExploration, 1, Now, items: items);

        Assert.Equal([("home-hero", "Mug 2.5;Jug 2.5;"), ("home-footer", "Lamp 2.5;")], result.Actions.Select(a => (a.Placement, a.Content)));
    }
}
