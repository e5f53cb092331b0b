using Personalization.Decisioning.Recommendations;
using Personalization.Decisioning.Rules;
using static Personalization.Decisioning.Tests.Recommendations.Catalogs;

namespace Personalization.Decisioning.Tests.Recommendations;

public sealed class ItemRulesTests
{
    [Theory]
    [InlineData("category = 'lights' and price < 20", true)]
    [InlineData("tag_christmas and available", true)]
    [InlineData("tag_easter", false)]
    [InlineData("name = 'LANTERN' and product_id != 'x'", true)]
    [InlineData("price >= 12.5", false)]
    public void ItemRulesReadProductFields(string rule, bool matches)
    {
        var lantern = Product("lantern", "lights", 12, true, "christmas");

        Assert.Equal(matches, ItemRules.Matches(RuleLanguage.Compile(rule), lantern, T0));
    }

    [Fact]
    public void ARuleNamingACustomerFieldIsRefusedNamingTheField()
    {
        var problem = ItemRules.Problem("churn > 0.5", "filter");

        Assert.NotNull(problem);
        Assert.Equal("filter", problem.Field);
        Assert.Contains("'churn' is not a product field", problem.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void ARuleThatDoesNotParseIsRefusedWithItsPosition()
    {
        var problem = ItemRules.Problem("price <", "boosts[0].rule");

        Assert.NotNull(problem);
        Assert.StartsWith("at 1:8:", problem.Reason, StringComparison.Ordinal);
    }
}
