using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Segments;
using Personalization.Decisioning.Tests.Customers;

namespace Personalization.Decisioning.Tests.Segments;

public sealed class SegmentRulesTests
{
    private static readonly DateTime Now = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    private static SegmentDefinition Segment(string name, string rule, long generation = 1) => new() { Name = name, Rule = rule, Generation = generation };

    private static CustomerState Customer(long purchases)
    {
        var state = Events.Apply(Events.Of(CustomerEventType.SessionStarted, Now.AddDays(-1), Channel.Web));
        state.Behaviour.Purchases = purchases;
        return state;
    }

    [Theory]
    [InlineData("VIP", "purchases > 1", "segment.name")]
    [InlineData("-vip", "purchases > 1", "segment.name")]
    [InlineData("vip", "", "segment.rule: is required")]
    [InlineData("vip", "purchases >", "segment.rule: at 1:12: the rule ends too soon")]
    [InlineData("vip", "in_segment(vip)", "segment.rule: in_segment(vip) refers to the segment itself")]
    [InlineData("vip", "in_segment(ghost)", "segment.rule: in_segment(ghost): no segment 'ghost'")]
    [InlineData("vip", "in_segment(buyers) and churn > 'x'", "segment.rule: at 1:32: type mismatch")]
    public void InvalidSegmentsAreRejectedWithTheFieldAndReason(string name, string rule, string expected)
    {
        var errors = SegmentRules.Validate(Segment(name, rule), [Segment("buyers", "purchases > 0")]);

        Assert.Contains(errors, e => e.ToString().StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void ACycleThroughAnotherSegmentIsRejected()
    {
        var others = new[] { Segment("a", "in_segment(b)"), Segment("b", "in_segment(c)") };

        var errors = SegmentRules.Validate(Segment("c", "in_segment(a)"), others);

        Assert.Equal("segment.rule: in_segment(a) makes a cycle: 'a' already depends on 'c'.", Assert.Single(errors).ToString());
    }

    [Fact]
    public void SegmentsAreEvaluatedAfterTheSegmentsTheyRead()
    {
        var ordered = SegmentRules.Order([Segment("a-top", "in_segment(m-mid)"), Segment("m-mid", "in_segment(z-base)"), Segment("z-base", "purchases > 0"), Segment("b-free", "purchases > 9")]);

        Assert.Equal(["b-free", "z-base", "m-mid", "a-top"], ordered.Select(s => s.Name));
    }

    [Fact]
    public void MembershipFollowsTheRulesIncludingSegmentsOfSegments()
    {
        var snapshot = new SegmentSnapshot(5, SegmentRules.Order([Segment("buyers", "purchases > 0", 2), Segment("loyal", "in_segment(buyers) and purchases >= 3", 5)]));
        var state = Customer(purchases: 3);

        var joined = SegmentRules.Evaluate(state, snapshot, Now);
        Assert.Equal([new MembershipChange("buyers", 2, true), new MembershipChange("loyal", 5, true)], joined);

        Assert.Empty(SegmentRules.Evaluate(state, snapshot, Now)); // nothing changed, nothing to tell

        state.Behaviour.Purchases = 0;
        var left = SegmentRules.Evaluate(state, snapshot, Now);
        Assert.Equal([new MembershipChange("buyers", 2, false), new MembershipChange("loyal", 5, false)], left);
        Assert.Empty(state.Segments);
    }

    [Fact]
    public void AMemberOfAnOlderGenerationJoinsAgainAndDeletedSegmentsAreDropped()
    {
        var state = Customer(purchases: 2);
        state.Segments["buyers"] = 1;
        state.Segments["gone"] = 1;

        var changes = SegmentRules.Evaluate(state, new SegmentSnapshot(7, [Segment("buyers", "purchases > 1", 7)]), Now);

        Assert.Equal([new MembershipChange("buyers", 7, true)], changes);
        Assert.Equal(new Dictionary<string, long> { ["buyers"] = 7 }, state.Segments);
    }

    [Fact]
    public void AnEmptyOrMergedProfileIsInNoSegment()
    {
        var merged = Customer(purchases: 5);
        merged.MergedInto = "c-1";

        Assert.Empty(SegmentRules.Evaluate(new CustomerState(), new SegmentSnapshot(1, [Segment("all", "not purchases > 100")]), Now));
        Assert.Empty(SegmentRules.Evaluate(merged, new SegmentSnapshot(1, [Segment("all", "purchases > 0")]), Now));
    }
}
