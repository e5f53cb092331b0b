using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Rules;

namespace Personalization.Decisioning.Tests.Rules;

public sealed class RuleLanguageTests
{
    private static readonly DateTime Now = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    private static CustomerState Customer()
    {
        var state = new CustomerState();
        state.Traits["tenure"] = new TraitEntry(TraitValue.Of(8L), Now);
        state.Traits["plan"] = new TraitEntry(TraitValue.Of("Gold"), Now);
        state.Traits["partner"] = new TraitEntry(TraitValue.Of(true), Now);
        state.Traits["joined"] = new TraitEntry(TraitValue.Of(Now.AddDays(-400)), Now);
        state.Behaviour.Purchases = 3;
        state.Behaviour.LastPurchaseAt = Now.AddDays(-45);
        state.Channel(Channel.Email).Consent["marketing"] = new ConsentEntry(true, Now);
        state.Churn = new ScoreEntry(0.82, "churn-v1", Now, 0);
        state.Segments["vip"] = 3;
        return state;
    }

    [Theory]
    [InlineData("tenure < 12", true)]
    [InlineData("tenure >= 12", false)]
    [InlineData("plan = 'gold'", true)]
    [InlineData("plan != \"gold\"", false)]
    [InlineData("churn > 0.7 and consented(email)", true)]
    [InlineData("consented(sms)", false)]
    [InlineData("not consented(sms)", true)]
    [InlineData("days_since(last_purchase) > 30", true)]
    [InlineData("days_since(joined) > 365", true)]
    [InlineData("purchases >= 3 and (plan in ['silver', 'gold'] or tenure > 100)", true)]
    [InlineData("plan in ['silver', 'bronze']", false)]
    [InlineData("partner", true)]
    [InlineData("partner = true and tenure = 8", true)]
    [InlineData("income > 50000", false)] // missing compares false
    [InlineData("not income > 50000", true)]
    [InlineData("tenure < 12 or churn < 0.1 and plan = 'none'", true)] // and binds tighter than or
    [InlineData("TENURE < 12", false)] // names are case-sensitive: TENURE is a missing trait
    [InlineData("in_segment(vip)", true)]
    [InlineData("in_segment('high-churn-risk') or in_segment(vip)", true)]
    [InlineData("in_segment('high-churn-risk')", false)]
    [InlineData("in_segment(high-churn-risk) or tenure>-3", true)]
    [InlineData("not in_segment(lapsed) and in_segment(vip) = true", true)]
    public void RulesEvaluateAsWritten(string rule, bool expected)
    {
        Assert.Equal(expected, RuleLanguage.Compile(rule).Matches(Customer(), Now));
    }

    [Theory]
    [InlineData("", 1, 1, "the rule is empty")]
    [InlineData("tenure <", 1, 9, "the rule ends too soon: expected a value")]
    [InlineData("tenure < and plan = 'x'", 1, 10, "expected a value, found the keyword 'and'")]
    [InlineData("(tenure < 12", 1, 13, "expected ')' to close the parenthesis, found the end of the rule")]
    [InlineData("plan = 'gold", 1, 8, "this text is not closed")]
    [InlineData("plan in ['a' 'b']", 1, 14, "expected ',' or ']' in the list")]
    [InlineData("tenure < 12 plan = 'a'", 1, 13, "expected 'and', 'or' or the end of the rule, found 'plan'")]
    [InlineData("consented(fax)", 1, 11, "unknown channel 'fax'")]
    [InlineData("weekday(plan) = 1", 1, 1, "unknown function 'weekday'")]
    [InlineData("tenure < 12 &&\n plan = 'a'", 1, 13, "unexpected character '&'")]
    [InlineData("tenure < 12 and\n  12", 2, 3, "expected a comparison")]
    [InlineData("churn > \"high\"", 1, 9, "type mismatch: 'churn' is a number, so it cannot be compared with the text 'high'")]
    [InlineData("'many' < purchases", 1, 1, "type mismatch: 'purchases' is a number")]
    [InlineData("email_open_rate in [0.1, 'high']", 1, 26, "type mismatch: 'email_open_rate' is a number")]
    [InlineData("days_since(last_purchase) = 'recent'", 1, 29, "type mismatch: days_since(last_purchase) is a number")]
    [InlineData("in_segment(3)", 1, 12, "expected a name inside in_segment")]
    public void ErrorsGiveThePositionAndWhatWasExpected(string rule, int line, int column, string message)
    {
        var error = RuleLanguage.Check(rule);

        Assert.NotNull(error);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.StartsWith(message, error.Message);
    }

    [Fact]
    public void ACompiledRuleNamesTheFieldsItReads()
    {
        Assert.Equal(["churn", "tenure", "last_purchase"], RuleLanguage.Compile("churn > 0.5 and (tenure < 3 or days_since(last_purchase) > 60)").Fields);
    }

    [Fact]
    public void ACompiledRuleNamesTheSegmentsItReads()
    {
        var rule = RuleLanguage.Compile("in_segment(vip) and not in_segment('lapsed-90') and tenure > 1");

        Assert.Equal(["vip", "lapsed-90"], rule.Segments);
        Assert.Equal(["tenure"], rule.Fields);
    }

    [Fact]
    public void TraitsCompareWithTextBecauseTheirTypeIsOnlyKnownPerCustomer()
    {
        Assert.Null(RuleLanguage.Check("tenure = 'eight'"));
    }

    [Fact]
    public void RandomInputNeverCrashesTheParser()
    {
        // Fuzz: random strings over the language's own characters and words, and random bytes as text.
        var random = new Random(20261122);
        string[] pieces = ["churn", "tenure", "and", "or", "not", "in", "(", ")", "[", "]", ",", "'", "\"", "<", "<=", ">", "=", "!=", "!", "0.5", "-3", "1e9", ".", "days_since", "consented", "in_segment", "email", "true", " ", "\n", "é", "\u0000", "_", "--"];
        for (var i = 0; i < 20_000; i++)
        {
            var text = i % 4 == 0
                ? new string([.. Enumerable.Range(0, random.Next(0, 40)).Select(_ => (char)random.Next(0, 0x3000))])
                : string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => pieces[random.Next(pieces.Length)] + (random.Next(3) == 0 ? " " : "")));
            try
            {
                var rule = RuleLanguage.Compile(text);
                rule.Matches(Customer(), Now);
            }
            catch (RuleSyntaxException ex)
            {
                Assert.InRange(ex.Error.Line, 1, text.Length + 1);
                Assert.InRange(ex.Error.Column, 1, text.Length + 1);
                Assert.False(string.IsNullOrWhiteSpace(ex.Error.Message));
            }
        }
    }
}
