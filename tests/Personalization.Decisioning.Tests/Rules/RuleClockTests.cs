using System.Globalization;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Rules;
using Personalization.Decisioning.Segments;

namespace Personalization.Decisioning.Tests.Rules;

/// <summary>
/// When a rule's answer can next change by time alone (<see cref="CompiledRule.NextChange"/>): property
/// tests over every <c>days_since</c> base and comparison, alone and combined.
/// </summary>
public sealed class RuleClockTests
{
    private static readonly DateTime T0 = new(2026, 3, 2, 12, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Bases = ["last_purchase", "last_seen", "first_seen", "signed_up"];
    private static readonly string[] Ops = ["<", "<=", ">", ">=", "=", "!="];

    private static CustomerState Customer(Random random)
    {
        DateTime Past() => T0.AddMinutes(-random.Next(0, 90 * 24 * 60));
        var state = new CustomerState { FirstSeenAt = Past(), LastSeenAt = Past() };
        if (random.Next(4) > 0)
        {
            state.Behaviour.LastPurchaseAt = Past();
        }

        if (random.Next(4) > 0)
        {
            state.Traits["signed_up"] = new TraitEntry(TraitValue.Of(Past()), T0);
        }

        state.Traits["plan"] = new TraitEntry(TraitValue.Of(random.Next(2) == 0 ? "gold" : "silver"), T0);
        return state;
    }

    private static string Test(Random random) =>
        $"days_since({Bases[random.Next(Bases.Length)]}) {Ops[random.Next(Ops.Length)]} {(random.Next(3) == 0 ? random.Next(0, 120) + 0.5 : random.Next(0, 120)).ToString(CultureInfo.InvariantCulture)}";

    private static string Rule(Random random) => random.Next(5) switch
    {
        0 => Test(random),
        1 => $"{Test(random)} and {Test(random)}",
        2 => $"{Test(random)} or plan = 'gold'",
        3 => $"not ({Test(random)} or {Test(random)})",
        _ => $"days_since({Bases[random.Next(Bases.Length)]}) in [{random.Next(0, 60)}, {random.Next(0, 60)}] or {Test(random)}",
    };

    [Fact]
    public void TheAnswerNeverChangesBeforeTheNextChangeAndNoChangeIsMissedWhenNoneIsAhead()
    {
        var random = new Random(1631);
        for (var round = 0; round < 2000; round++)
        {
            var rule = RuleLanguage.Compile(Rule(random));
            var state = Customer(random);
            var now = T0.AddMinutes(random.Next(0, 60 * 24));

            var next = rule.NextChange(state, now);
            var answer = rule.Matches(state, now);

            Assert.True(next is null || next > now, $"{rule.Text}: {next} is not after {now}");
            // Constant from now until the crossing (the margin after it is where it may already differ), or for 200 days when none is ahead.
            var until = next is { } at ? at - CompiledRule.ChangeMargin : now.AddDays(200);
            for (var sample = 0; until > now && sample < 40; sample++)
            {
                var t = now + ((until - now) * random.NextDouble());
                Assert.True(rule.Matches(state, t) == answer, $"{rule.Text} changed at {t:O} before {next:O} (now {now:O})");
            }

            var justBefore = until - TimeSpan.FromMilliseconds(1);
            Assert.True(justBefore < now || rule.Matches(state, justBefore) == answer, $"{rule.Text} changed just before {next:O}");
        }
    }

    [Theory]
    [InlineData(">", 30)]
    [InlineData(">=", 30)]
    [InlineData("<", 7)]
    [InlineData("<=", 7.5)]
    public void ASingleTimeTestChangesByTheMarginAfterItsCrossing(string op, double days)
    {
        foreach (var name in Bases)
        {
            var since = T0.AddDays(-3);
            var state = new CustomerState { FirstSeenAt = since, LastSeenAt = since };
            state.Behaviour.LastPurchaseAt = since;
            state.Traits["signed_up"] = new TraitEntry(TraitValue.Of(since), T0);
            var rule = RuleLanguage.Compile($"days_since({name}) {op} {days.ToString(CultureInfo.InvariantCulture)}");

            var next = rule.NextChange(state, T0);

            Assert.Equal(since.AddDays(days) + CompiledRule.ChangeMargin, next);
            Assert.NotEqual(rule.Matches(state, T0), rule.Matches(state, next!.Value));
            Assert.Null(rule.NextChange(state, next.Value));
        }
    }

    [Fact]
    public void RulesWithoutATimeTestOrWithAnUnknownBaseNeverWake()
    {
        var state = new CustomerState { FirstSeenAt = T0.AddDays(-1) };

        Assert.Null(RuleLanguage.Compile("plan = 'gold' and purchases > 2").NextChange(state, T0));
        Assert.Null(RuleLanguage.Compile("days_since(last_purchase) > 30").NextChange(state, T0)); // never purchased: unknown
        Assert.Null(RuleLanguage.Compile("days_since(birthday) > 30").NextChange(state, T0)); // no such time trait
    }

    [Fact]
    public void ASegmentSnapshotWakesAtItsEarliestTimeTest()
    {
        var state = new CustomerState { FirstSeenAt = T0.AddDays(-10), LastSeenAt = T0.AddDays(-2), EventCount = 3 };
        state.Behaviour.LastPurchaseAt = T0.AddDays(-20);
        var snapshot = new SegmentSnapshot(1,
        [
            new SegmentDefinition { Name = "lapsed", Rule = "days_since(last_purchase) > 30", Generation = 1 },
            new SegmentDefinition { Name = "idle", Rule = "days_since(last_seen) >= 5", Generation = 1 },
            new SegmentDefinition { Name = "gold", Rule = "plan = 'gold'", Generation = 1 },
        ]);

        Assert.Equal(T0.AddDays(3) + CompiledRule.ChangeMargin, SegmentRules.NextChange(state, snapshot, T0));
        Assert.Null(SegmentRules.NextChange(new CustomerState(), snapshot, T0));
    }
}
