using Personalization.Decisioning.Content;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Tests.Content;

public sealed class ContentTemplatesTests
{
    private static readonly DateTime Now = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    private static Offer WithContent(params OfferContent[] contents) =>
        new() { OfferId = "spring-10", Name = "Spring sale", Type = OfferType.Discount, Reward = 10, Channels = [Channel.Web, Channel.Email, Channel.Sms], Contents = contents };

    private static CustomerState Customer()
    {
        var state = new CustomerState();
        state.Traits["first_name"] = new TraitEntry(TraitValue.Of("Ada"), Now);
        state.Traits["tier"] = new TraitEntry(TraitValue.Of("<gold>"), Now);
        state.Behaviour.Purchases = 3;
        return state;
    }

    private static string Render(Offer offer, Channel channel = Channel.Web, string placement = "", PlacementContext? context = null) =>
        ContentTemplates.Render(offer, channel, placement, Customer(), "c-1", context ?? PlacementContext.None, [], Now).Content;

    [Fact]
    public void ATemplateRendersTraitsAggregatesTheOfferAndTheContext()
    {
        var offer = WithContent(new OfferContent(Channel.Unspecified, "", "Hi {{ traits.first_name }}, {{ offer.reward }} off on {{ context.device }} after {{ aggregates.purchases }} orders ({{ customer.id }})"));

        var content = Render(offer, context: new PlacementContext(Device: "mobile"));

        Assert.Equal("Hi Ada, 10 off on mobile after 3 orders (c-1)", content);
    }

    [Fact]
    public void MissingValuesRenderEmptyAndItemsIsAnEmptyList()
    {
        var offer = WithContent(new OfferContent(Channel.Unspecified, "", "[{{ traits.nickname }}][{{ context.attributes.colour }}][{{ items.size }}]{% for item in items %}x{% endfor %}"));

        Assert.Equal("[][][0]", Render(offer));
    }

    [Fact]
    public void TheMostSpecificContentWins()
    {
        var offer = WithContent(
            new OfferContent(Channel.Unspecified, "", "any"),
            new OfferContent(Channel.Web, "", "web"),
            new OfferContent(Channel.Unspecified, "home-hero", "hero"),
            new OfferContent(Channel.Web, "home-hero", "web hero"));

        Assert.Equal(("web hero", "web", "hero", "any"), (Render(offer, Channel.Web, "home-hero"), Render(offer, Channel.Web, "cart"), Render(offer, Channel.Email, "home-hero"), Render(offer, Channel.Email, "cart")));
    }

    [Fact]
    public void AnOfferWithoutMatchingContentRendersNothing()
    {
        var offer = WithContent(new OfferContent(Channel.Email, "", "mail only"));

        Assert.Equal("", Render(offer, Channel.Web));
    }

    [Fact]
    public void ValuesAreHtmlEscapedExceptOnTextChannels()
    {
        var offer = WithContent(new OfferContent(Channel.Unspecified, "", "{{ traits.tier }}"));

        Assert.Equal(("&lt;gold&gt;", "<gold>"), (Render(offer, Channel.Web), Render(offer, Channel.Sms)));
    }

    [Fact]
    public void ATemplateThatDoesNotParseIsRefusedWithItsLineAndColumn()
    {
        var offer = WithContent(new OfferContent(Channel.Web, "", "Hello\n{{ traits.first_name "));

        var error = OfferRules.Validate(offer).Single(e => e.Field.StartsWith("offer.contents", StringComparison.Ordinal));

        Assert.Equal("offer.contents[0].template", error.Field);
        Assert.Contains("(2:", error.Reason);
    }

    [Fact]
    public void OutputIsCutAtTheSizeLimit()
    {
        var offer = WithContent(new OfferContent(Channel.Unspecified, "", "{% for i in (1..5000) %}0123456789{% endfor %}"));

        // The size bound, not the clock's: a minute, so a pause on a loaded machine does not end the rendering first (it once did).
        var (content, problem) = ContentTemplates.Render(offer, Channel.Web, "", Customer(), "c-1", PlacementContext.None, [], Now, TimeSpan.FromMinutes(1));

        Assert.Equal(ContentTemplates.MaxChars, content.Length);
        Assert.Equal($"content cut at {ContentTemplates.MaxChars} characters", problem);
    }

    [Fact]
    public void ALoopPastTheStepLimitRendersNothing()
    {
        var offer = WithContent(new OfferContent(Channel.Unspecified, "", "{% for i in (1..100000) %}{% endfor %}done"));

        var (content, problem) = ContentTemplates.Render(offer, Channel.Web, "", Customer(), "c-1", PlacementContext.None, [], Now);

        Assert.Equal("", content);
        Assert.StartsWith("content not rendered", problem);
    }
}
