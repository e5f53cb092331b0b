using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Offers;
using Personalization.Decisioning.Rules;
using Personalization.Decisioning.Segments;

namespace Personalization.Decisioning.Tests.Rules;

public sealed class ContextRuleTests
{
    private static readonly DateTime Now = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void AnUnknownContextNameIsRefusedWithItsPosition()
    {
        var error = RuleLanguage.Check("tenure > 3 and context.colour = 'red'");

        Assert.Equal((1, 16), (error!.Line, error.Column));
        Assert.StartsWith("unknown context name 'context.colour'", error.Message);
    }

    [Fact]
    public void AnOfferWithAnUnknownContextNameIsRefusedWhenSaved()
    {
        var offer = new Offer { OfferId = "o", Name = "o", Type = OfferType.Discount, Channels = [Channel.Web], EligibilityRule = "context.screen = 'x'" };

        var errors = OfferRules.Validate(offer);

        Assert.Contains(errors, e => e.Field == "offer.eligibility_rule" && e.Reason.StartsWith("at 1:1: unknown context name", StringComparison.Ordinal));
    }

    [Fact]
    public void ASegmentRuleMayNotReadTheRequestContext()
    {
        var errors = SegmentRules.Validate(new SegmentDefinition { Name = "phones", Rule = "purchases > 1 and context.device = 'mobile'" }, []);

        Assert.Contains(errors, e => e.Field == "segment.rule" && e.Reason.StartsWith("at 1:19: context.", StringComparison.Ordinal));
    }

    [Fact]
    public void ALocalHourComparedWithATextIsATypeError()
    {
        var error = RuleLanguage.Check("context.local_hour = 'evening'");

        Assert.Contains("type mismatch", error!.Message);
    }

    [Fact]
    public void WithoutAContextContextTestsAreFalse()
    {
        var rule = RuleLanguage.Compile("context.device = 'mobile'");

        Assert.False(rule.Matches(new CustomerState(), Now));
        Assert.True(rule.Matches(new CustomerState(), Now, new PlacementContext(Device: "Mobile")));
    }

    [Fact]
    public void TheLocalHourFallsBackToTheCustomersTimeZone()
    {
        var state = new CustomerState { TimeZone = "Asia/Tokyo" };

        // 09:00 UTC is 18:00 in Tokyo.
        Assert.True(RuleLanguage.Compile("context.local_hour = 18").Matches(state, Now, PlacementContext.None));
    }
}
