using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Measurement;
using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Tests.Decisions;

public sealed class DecisionEngineTests
{
    /// <summary>Monday 2026-11-16 09:00 UTC.</summary>
    private static readonly DateTime Now = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    private static readonly DecisionPolicy NoHoldoutNoExploration = new() { HoldoutShare = 0, ExplorationShare = 0 };

    private static Offer Offer(string id, double value = 10, OfferType type = OfferType.Discount, params Channel[] channels) => new()
    {
        OfferId = id,
        Name = id,
        Type = type,
        Value = value,
        Channels = channels.Length > 0 ? channels : [Channel.Email, Channel.Web, Channel.Sms],
    };

    private static ScoredOffer Scored(Offer offer, double acceptance) => new(offer, acceptance, 0, 0);

    private static CustomerState Consenting(params Channel[] channels)
    {
        var state = new CustomerState();
        foreach (var channel in channels)
        {
            state.Channel(channel).Consent["marketing"] = new ConsentEntry(true, Now.AddDays(-30));
        }

        return state;
    }

    private static DecisionRequest Outbound(int max = 3) => new(DecisionMode.Outbound, [], max, []);

    private static DecisionRequest Inbound(Channel channel = Channel.Web) => new(DecisionMode.Inbound, [channel], 3, []);

    [Fact]
    public void ACustomerInTheGlobalControlGetsNoActions()
    {
        var policy = NoHoldoutNoExploration with { GlobalControlShare = 0.1, GlobalControlSalt = "2026" };
        var (held, other) = (Ids().First(id => GlobalControl.IsHeldOut(id, "2026", 0.1)), Ids().First(id => !GlobalControl.IsHeldOut(id, "2026", 0.1)));

        var heldResult = DecisionEngine.Decide(held, new CustomerState(), [Scored(Offer("o1"), 0.5)], 0.1, Inbound(), policy, 1, Now);
        var otherResult = DecisionEngine.Decide(other, new CustomerState(), [Scored(Offer("o1"), 0.5)], 0.1, Inbound(), policy, 1, Now);

        Assert.Equal(("global_control", 0), (heldResult.Arm, heldResult.Actions.Count));
        Assert.Single(otherResult.Actions);

        static IEnumerable<string> Ids() => Enumerable.Range(0, 1_000).Select(i => $"c-{i}");
    }

    [Fact]
    public void PriorityIsAcceptanceTimesValueTimesWeight()
    {
        var offers = new[] { Scored(Offer("cheap", value: 5), 0.6), Scored(Offer("rich", value: 20), 0.2), Scored(Offer("weighted", value: 5) with { BusinessWeight = 2 }, 0.5) };

        var result = DecisionEngine.Decide("c1", new CustomerState(), offers, 0.1, Inbound(), NoHoldoutNoExploration, 1, Now);

        // 0.5 × 5 × 2 = 5 > 0.2 × 20 = 4 > 0.6 × 5 = 3.
        Assert.Equal(["weighted", "rich", "cheap"], result.Actions.Select(a => a.Offer.OfferId));
        Assert.Equal(5, result.Actions[0].ExpectedValue, 6);
        Assert.Equal(4, result.Actions[1].ExpectedValue, 6);
        Assert.Equal(3, result.Actions[2].ExpectedValue, 6);
    }

    [Fact]
    public void AHighChurnCustomerGetsTheRetentionOffer()
    {
        var offers = new[] { Scored(Offer("upsell", value: 15, OfferType.Upsell), 0.3), Scored(Offer("stay-with-us", value: 10, OfferType.Retention), 0.3) };

        var risky = DecisionEngine.Decide("c1", new CustomerState(), offers, 0.81, Inbound(), NoHoldoutNoExploration, 1, Now);
        var loyal = DecisionEngine.Decide("c1", new CustomerState(), offers, 0.05, Inbound(), NoHoldoutNoExploration, 1, Now);

        Assert.Equal("stay-with-us", risky.Actions[0].Offer.OfferId);
        Assert.Contains("retention offer boosted: churn 0.81", risky.Actions[0].Reasons);
        Assert.Equal("upsell", loyal.Actions[0].Offer.OfferId);
    }

    [Fact]
    public void ARetentionOffersValueIsScaledByTheCustomersClvScore()
    {
        var offers = new[] { Scored(Offer("upsell", value: 15, OfferType.Upsell), 0.3), Scored(Offer("stay-with-us", value: 10, OfferType.Retention), 0.3) };
        static CustomerState Worth(double clv) => new() { KindScores = [new KindScore("clv", new ScoreEntry(clv, "clv-1", Now, 0))] };

        var unscored = DecisionEngine.Decide("c1", new CustomerState(), offers, 0.3, Inbound(), NoHoldoutNoExploration, 1, Now);
        var cheap = DecisionEngine.Decide("c1", Worth(150), offers, 0.3, Inbound(), NoHoldoutNoExploration, 1, Now);
        var valuable = DecisionEngine.Decide("c1", Worth(1800), offers, 0.3, Inbound(), NoHoldoutNoExploration, 1, Now);

        // Retention: 0.3 × 10 × (1 + 2 × 0.3) = 4.8 against the upsell's 0.3 × 15 = 4.5; × clv ÷ 600.
        Assert.Equal(("stay-with-us", 4.8), (unscored.Actions[0].Offer.OfferId, Math.Round(unscored.Actions[0].ExpectedValue, 6)));
        Assert.Equal(("upsell", 1.2), (cheap.Actions[0].Offer.OfferId, Math.Round(cheap.Actions[1].ExpectedValue, 6)));
        Assert.Equal(("stay-with-us", 14.4), (valuable.Actions[0].Offer.OfferId, Math.Round(valuable.Actions[0].ExpectedValue, 6)));
        Assert.Contains("retention offer boosted: churn 0.30, clv 1800", valuable.Actions[0].Reasons);
    }

    [Fact]
    public void WithoutTheDecisionLogNoSlateIsBuiltAndTheDecisionIsTheSame()
    {
        var offers = new[] { Scored(Offer("a", value: 15), 0.3), Scored(Offer("b", value: 10), 0.4), Scored(Offer("c", value: 5), 0.2) };
        var policy = new DecisionPolicy { HoldoutShare = 0, ExplorationShare = 0.5 };

        var decisions = Enumerable.Range(1, 40).Select(n => (
            Logged: DecisionEngine.Decide("c1", new CustomerState(), offers, 0.1, Inbound(), policy, n, Now),
            Unlogged: DecisionEngine.Decide("c1", new CustomerState(), offers, 0.1, Inbound(), policy, n, Now, withSlates: false))).ToList();

        Assert.All(decisions, d => Assert.Null(d.Unlogged.Slates));
        Assert.All(decisions, d => Assert.NotNull(d.Logged.Slates));
        Assert.All(decisions, d => Assert.Equal(d.Logged.Actions.Select(a => (a.Offer.OfferId, a.Explored)), d.Unlogged.Actions.Select(a => (a.Offer.OfferId, a.Explored))));
        Assert.Contains(decisions, d => d.Logged.Actions[0].Explored);
    }

    [Fact]
    public void OutboundNeverUsesAChannelWithoutConsent()
    {
        var result = DecisionEngine.Decide("c1", Consenting(Channel.Sms), [Scored(Offer("o1"), 0.5)], 0.1, Outbound(), NoHoldoutNoExploration, 1, Now);

        Assert.Equal(Channel.Sms, Assert.Single(result.Actions).Channel);
        Assert.Contains("o1: email skipped: no consent", result.Suppressions);
    }

    [Fact]
    public void ASuppressedChannelIsSkippedWithItsReason()
    {
        var state = Consenting(Channel.Email);
        state.Channel(Channel.Email).SuppressedReason = "unsubscribed";

        var result = DecisionEngine.Decide("c1", state, [Scored(Offer("o1"), 0.5)], 0.1, Outbound(), NoHoldoutNoExploration, 1, Now);

        Assert.Empty(result.Actions);
        Assert.Contains("o1: email skipped: unsubscribed", result.Suppressions);
    }

    [Fact]
    public void TheWeeklyChannelCapHolds()
    {
        var state = Consenting(Channel.Sms);
        for (var i = 0; i < 3; i++)
        {
            state.Decisions.Add(new DecisionRecord { DecisionId = $"d{i}", OfferId = "x", Channel = Channel.Sms, Mode = DecisionMode.Outbound, DecidedAt = Now.AddDays(-i - 1), SendAt = Now.AddDays(-i - 1) });
        }

        var result = DecisionEngine.Decide("c1", state, [Scored(Offer("o1"), 0.5)], 0.1, Outbound(), NoHoldoutNoExploration, 1, Now);

        Assert.Empty(result.Actions);
        Assert.Contains("o1: SMS skipped: 3 of 3 this week", result.Suppressions);
    }

    [Fact]
    public void ThePerOfferDailyCapHolds()
    {
        var state = new CustomerState();
        state.Decisions.Add(new DecisionRecord { DecisionId = "d0", OfferId = "o1", Channel = Channel.Web, DecidedAt = Now.AddHours(-2), SendAt = Now.AddHours(-2) });
        var capped = Offer("o1") with { Caps = new OfferCaps(PerCustomerPerDay: 1) };

        var result = DecisionEngine.Decide("c1", state, [Scored(capped, 0.5)], 0.1, Inbound(), NoHoldoutNoExploration, 1, Now);

        Assert.Empty(result.Actions);
        Assert.Contains("o1 skipped: 1 per day reached", result.Suppressions);
    }

    [Fact]
    public void OutboundTimingLandsInTheBestAllowedHourOfTheCustomersWeek()
    {
        var state = Consenting(Channel.Email);
        state.TimeZone = "America/New_York";
        // Most engagement on Mondays at 12:00 in New York (17:00 UTC in November).
        state.Engage(12, 9);
        state.Engage(23, 50); // 23:00 is quiet: never chosen

        var result = DecisionEngine.Decide("c1", state, [Scored(Offer("o1"), 0.5)], 0.1, Outbound(), NoHoldoutNoExploration, 1, Now);

        Assert.Equal(new DateTime(2026, 11, 16, 17, 0, 0, DateTimeKind.Utc), Assert.Single(result.Actions).SendAt);
    }

    [Fact]
    public void QuietHoursFollowDaylightSavingChanges()
    {
        var state = Consenting(Channel.Email);
        state.TimeZone = "Europe/Paris";
        // 2026-03-29 01:00 UTC: Paris jumps from 02:00 to 03:00; quiet until 08:00 local is 06:00 UTC.
        var dst = new DateTime(2026, 3, 29, 0, 30, 0, DateTimeKind.Utc);

        var sendAt = DecisionEngine.BestHour(state, dst, NoHoldoutNoExploration);
        var local = TimeZones.Local(sendAt, state.TimeZone);

        Assert.InRange(local.Hour, 8, 20);
        Assert.Equal(new DateTime(2026, 3, 29, 16, 0, 0, DateTimeKind.Utc), sendAt); // 18:00 CEST, the evening prior
    }

    [Fact]
    public void InboundActsNowOnTheAskingChannelOnly()
    {
        var offers = new[] { Scored(Offer("web-only", 10, OfferType.Discount, Channel.Web), 0.5), Scored(Offer("email-only", 10, OfferType.Discount, Channel.Email), 0.9) };

        var result = DecisionEngine.Decide("c1", new CustomerState(), offers, 0.1, Inbound(Channel.Web), NoHoldoutNoExploration, 1, Now);

        var action = Assert.Single(result.Actions);
        Assert.Equal(("web-only", Channel.Web, Now), (action.Offer.OfferId, action.Channel, action.SendAt));
        Assert.Contains("email-only: not available on web", result.Suppressions);
    }

    [Fact]
    public void TheHoldoutIsStableAndTheRightShare()
    {
        var policy = new DecisionPolicy { HoldoutShare = 0.1 };
        var ids = Enumerable.Range(0, 20_000).Select(i => $"customer-{i}").ToList();

        var held = ids.Count(id => DecisionEngine.InHoldout(id, policy));
        var again = ids.Count(id => DecisionEngine.InHoldout(id, policy));

        Assert.InRange(held / 20_000.0, 0.09, 0.11);
        Assert.Equal(held, again);
    }

    [Fact]
    public void ExplorationIsReproducibleWithTheSeed()
    {
        var policy = new DecisionPolicy { HoldoutShare = 0, ExplorationShare = 0.5, Seed = 3 };
        var offers = Enumerable.Range(0, 5).Select(i => new ScoredOffer(Offer($"o{i}"), 0.1 + (i * 0.1), 100, 10 * i)).ToArray();

        var first = Enumerable.Range(1, 200).Select(n => DecisionEngine.Decide("c1", new CustomerState(), offers, 0.1, Inbound(), policy, n, Now)).ToList();
        var second = Enumerable.Range(1, 200).Select(n => DecisionEngine.Decide("c1", new CustomerState(), offers, 0.1, Inbound(), policy, n, Now)).ToList();

        Assert.Equal(first.Select(r => r.Actions[0].Offer.OfferId), second.Select(r => r.Actions[0].Offer.OfferId));
        Assert.InRange(first.Count(r => r.Actions[0].Explored), 70, 130);
    }

    [Fact]
    public void AnOutcomeCountsExactlyOnce()
    {
        var state = new CustomerState();
        var result = DecisionEngine.Decide("c1", state, [Scored(Offer("o1"), 0.5)], 0.1, Inbound(), NoHoldoutNoExploration, 1, Now);
        DecisionMemory.Remember(state, "d1", result, DecisionMode.Inbound, null, Now);

        var first = DecisionMemory.Record(state, "d1", "o1", Outcome.Clicked, 0, Now.AddMinutes(1));
        var again = DecisionMemory.Record(state, "d1", "o1", Outcome.Clicked, 0, Now.AddMinutes(2));
        var unknown = DecisionMemory.Record(state, "d9", "o1", Outcome.Clicked, 0, Now);
        var wrong = DecisionMemory.Record(state, "d1", "o2", Outcome.Clicked, 0, Now);

        Assert.Equal(OutcomeStatus.Applied, first.Status);
        Assert.Equal(OutcomeStatus.Duplicate, again.Status);
        Assert.Equal(OutcomeStatus.UnknownDecision, unknown.Status);
        Assert.Equal(OutcomeStatus.WrongOffer, wrong.Status);
        Assert.Equal(1, state.Channel(Channel.Web).Clicked);
        Assert.Equal(Outcome.Clicked, state.Decisions[0].Latest);
    }

    [Fact]
    public void AnOfferWhoseRuleTheCustomerFailsIsLeftOutWithTheRule()
    {
        var state = new CustomerState();
        state.Traits["tenure"] = new TraitEntry(TraitValue.Of(24L), Now);
        var newcomers = Offer("welcome") with { EligibilityRule = "tenure < 12" };

        var result = DecisionEngine.Decide("c1", state, [Scored(newcomers, 0.9), Scored(Offer("all"), 0.1)], 0.1, Inbound(), NoHoldoutNoExploration, 1, Now);

        Assert.Equal("all", Assert.Single(result.Actions).Offer.OfferId);
        Assert.Contains("welcome skipped: not eligible (tenure < 12)", result.Suppressions);
    }

    [Fact]
    public void ExplorationDrawsAreTheSameInEveryProcess()
    {
        // Pinned values: the draws come from stable hashes, not from per-process hash seeds.
        var policy = new DecisionPolicy { HoldoutShare = 0, ExplorationShare = 0.5, Seed = 3 };
        var offers = Enumerable.Range(0, 5).Select(i => new ScoredOffer(Offer($"o{i}", 10, OfferType.Discount, Channel.Web), 0.1 + (i * 0.1), 20, 4)).ToArray();

        var tops = Enumerable.Range(1, 12)
            .Select(n => DecisionEngine.Decide("c1", new CustomerState(), offers, 0.1, Inbound(), policy, n, Now).Actions[0])
            .Select(a => a.Offer.OfferId + (a.Explored ? "*" : ""));

        // (Re-pinned when the explore-or-not coin moved from System.Random to a SplitMix64 counter over the same stable hash.)
        Assert.Equal(["o0*", "o3*", "o4*", "o4", "o4", "o4*", "o4", "o0*", "o4", "o4", "o4", "o4"], tops);
    }
}
