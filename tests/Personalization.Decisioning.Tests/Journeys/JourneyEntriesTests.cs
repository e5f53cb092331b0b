using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Journeys;
using Personalization.Decisioning.Measurement;
using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Tests.Journeys;

/// <summary>The pure stepper's later slices: segment-join and yearly-date entries, split arms, local-time waits, goals and the holdout.</summary>
public sealed class JourneyEntriesTests
{
    private static readonly DateTime T0 = new(2026, 3, 2, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DecisionPolicy Policy = new() { HoldoutShare = 0, ExplorationShare = 0 };
    private static readonly ScoredOffer[] Offers = [new(new Offer { OfferId = "o1", Name = "10% off", Type = OfferType.Discount, Value = 10, Channels = [Channel.Email] }, 0.2, 0, 0)];

    private static readonly JourneyStep[] SendOnce = [new() { Id = "greet", Kind = JourneyStepKind.Send }];

    private static JourneyDefinition Journey(JourneyEntryKind kind, params JourneyStep[] steps) => new()
    {
        JourneyId = "j",
        Version = 1,
        Name = "J",
        EntryKind = kind,
        EntryEvent = kind == JourneyEntryKind.Event ? CustomerEventType.AddToCart : CustomerEventType.Unspecified,
        EntrySegment = kind == JourneyEntryKind.SegmentJoin ? "lapsed" : "",
        EntryDateTrait = kind == JourneyEntryKind.YearlyDate ? "birthday" : "",
        EntryLocalTime = TimeSpan.FromHours(9),
        Steps = steps.Length > 0 ? steps : SendOnce,
        OfferIds = ["o1"],
        ReEntry = ReEntryPolicy.AfterExit,
    };

    private static JourneySnapshot Active(JourneyDefinition journey) =>
        new(1, new Dictionary<string, JourneyStatus> { [journey.JourneyId] = JourneyStatus.Active }, [journey]);

    private static JourneySender Sender(CustomerState state, string customer = "c1") =>
        (journey, step, enrollment, now) => JourneySends.Decide(customer, state, journey, step, enrollment, Offers, 0.2, Policy, null, now);

    private static CustomerState Customer(string? zone = null, string? birthday = null)
    {
        var state = JourneyStepsTests.Consented();
        state.TimeZone = zone;
        if (birthday is not null)
        {
            state.Traits["birthday"] = new TraitEntry(TraitValue.Of(birthday), T0.AddYears(-1));
        }

        return state;
    }

    [Fact]
    public void ASegmentJoinEntersOnceAndTheSameJoinReplayedDoesNotEnterAgain()
    {
        var state = Customer();
        var journeys = Active(Journey(JourneyEntryKind.SegmentJoin));

        var first = JourneySteps.OnSegmentJoin(state, "c1", [("lapsed", 3)], journeys, Policy, Sender(state), T0);
        var replayed = new CustomerState { Journeys = null };
        foreach (var change in first.Changes)
        {
            JourneySteps.Put(replayed, change.Enrollment);
        }

        Assert.Single(first.Deliveries);
        Assert.Equal(("lapsed", 3L), (state.Journeys![0].JoinedSegment, state.Journeys[0].JoinedGeneration));
        Assert.Equal(3L, replayed.Segments["lapsed"]); // the replay restores the membership, so re-evaluation sees no new join
    }

    [Fact]
    public void AJoinOfAnotherSegmentOrWhileStillEnrolledDoesNotEnter()
    {
        var state = Customer();
        var waits = Journey(JourneyEntryKind.SegmentJoin, new JourneyStep { Id = "w", Kind = JourneyStepKind.Wait, Duration = TimeSpan.FromDays(1) });
        var journeys = Active(waits);

        var other = JourneySteps.OnSegmentJoin(state, "c1", [("vip", 1)], journeys, Policy, Sender(state), T0);
        var entered = JourneySteps.OnSegmentJoin(state, "c1", [("lapsed", 1)], journeys, Policy, Sender(state), T0);
        var again = JourneySteps.OnSegmentJoin(state, "c1", [("lapsed", 2)], journeys, Policy, Sender(state), T0.AddHours(1));

        Assert.Empty(other.Changes);
        Assert.Single(entered.Changes);
        Assert.Empty(again.Changes);
    }

    [Fact]
    public void ABirthdayIsDueAtNineLocalOnTheDayAndEntersOnceThatDay()
    {
        // Tokyo is UTC+9: 09:00 local on 5 March is 00:00 UTC that day.
        var state = Customer("Asia/Tokyo", "1990-03-05");
        var journeys = Active(Journey(JourneyEntryKind.YearlyDate));
        var nine = new DateTime(2026, 3, 5, 0, 0, 0, DateTimeKind.Utc);

        var due = JourneySteps.NextDue(state, journeys, T0);
        var early = JourneySteps.Wake(state, "c1", journeys, Policy, Sender(state), nine.AddMinutes(-1));
        var entered = JourneySteps.Wake(state, "c1", journeys, Policy, Sender(state), nine);
        var twice = JourneySteps.Wake(state, "c1", journeys, Policy, Sender(state), nine.AddHours(5));
        var next = JourneySteps.NextDue(state, journeys, nine.AddHours(5));

        Assert.Equal(nine, due);
        Assert.Empty(early.Changes);
        Assert.Single(entered.Deliveries);
        Assert.Empty(twice.Changes);
        Assert.Equal(new DateTime(2027, 3, 5, 0, 0, 0, DateTimeKind.Utc), next);
    }

    [Fact]
    public void ABirthdaySetLateOnTheDayIsDueAtOnceAndAPassedOneWaitsAYear()
    {
        var today = Customer(null, "2000-03-02");
        var yesterday = Customer(null, "2000-03-01");
        var journeys = Active(Journey(JourneyEntryKind.YearlyDate));

        Assert.Equal(T0, JourneySteps.NextDue(today, journeys, T0));
        Assert.Equal(new DateTime(2027, 3, 1, 9, 0, 0, DateTimeKind.Utc), JourneySteps.NextDue(yesterday, journeys, T0));
        Assert.Null(JourneySteps.NextDue(Customer(), journeys, T0)); // no birthday, nothing to wake for
    }

    [Fact]
    public void TheTwentyNinthOfFebruaryFallsOnTheTwentyEighthInOtherYears()
    {
        var state = Customer(null, "1996-02-29");
        var journeys = Active(Journey(JourneyEntryKind.YearlyDate));

        Assert.Equal(new DateTime(2027, 2, 28, 9, 0, 0, DateTimeKind.Utc), JourneySteps.NextDue(state, journeys, T0));
    }

    [Fact]
    public void ASplitSendsEachCustomerDownTheSamePathEveryTimeInProportionToTheWeights()
    {
        JourneyStep[] steps =
        [
            new() { Id = "split", Kind = JourneyStepKind.Split, Paths = [new("a", 1, "send-a"), new("b", 3, "send-b")] },
            new() { Id = "send-a", Kind = JourneyStepKind.Send },
            new() { Id = "send-b", Kind = JourneyStepKind.Send },
        ];
        var journey = Journey(JourneyEntryKind.Event, steps);
        var customers = Enumerable.Range(0, 4000).Select(i => $"c{i}").ToList();

        var arms = customers.Select(c => JourneySteps.PathOf("j", steps[0], c).Name).ToList();
        var again = customers.Select(c => JourneySteps.PathOf("j", steps[0], c).Name).ToList();
        var state = Customer();
        var run = JourneySteps.OnEvent(state, "c7", JourneyStepsTests.Event(CustomerEventType.AddToCart, T0), Active(journey), Policy, Sender(state, "c7"), T0);

        Assert.Equal(arms, again);
        Assert.InRange(arms.Count(a => a == "b") / 4000.0, 0.72, 0.78);
        var arm = JourneySteps.PathOf("j", steps[0], "c7").Name;
        Assert.Equal(arm, state.Journeys![0].Arm);
        Assert.Contains(new JourneyCount("j", "split", JourneyCounter.Assigned, arm), run.Counts);
        Assert.Contains(new JourneyCount("j", $"send-{arm}", JourneyCounter.Sent, nameof(Channel.Email)), run.Counts);
    }

    [Fact]
    public void TheHoldoutMovesThroughTheStepsButIsSentNothing()
    {
        var journey = Journey(JourneyEntryKind.Event) with { HoldoutShare = 0.5 };
        var held = Enumerable.Range(0, 100).Select(i => $"c{i}").First(c => JourneySteps.InHoldout("j", c, 0.5));
        var state = Customer();

        var run = JourneySteps.OnEvent(state, held, JourneyStepsTests.Event(CustomerEventType.AddToCart, T0), Active(journey), Policy, Sender(state, held), T0);

        Assert.Empty(run.Deliveries);
        Assert.True(state.Journeys![0].Holdout);
        Assert.Equal(JourneyEnd.Completed, state.Journeys[0].End);
        Assert.Contains(new JourneyCount("j", "greet", JourneyCounter.Suppressed, "Holdout"), run.Counts);
        Assert.Contains(new JourneyCount("j", "greet", JourneyCounter.Entered, JourneyOutcomes.Holdout), run.Counts);
    }

    [Fact]
    public void AGoalEventWithinTheWindowCountsOnceEvenAfterTheJourneyEndedAndNotAfterTheWindow()
    {
        var journey = Journey(JourneyEntryKind.Event) with { GoalEvent = CustomerEventType.Purchase, GoalWithin = TimeSpan.FromDays(7) };
        var state = Customer();
        var late = Customer();
        JourneySteps.OnEvent(state, "c1", JourneyStepsTests.Event(CustomerEventType.AddToCart, T0), Active(journey), Policy, Sender(state), T0);
        JourneySteps.OnEvent(late, "c1", JourneyStepsTests.Event(CustomerEventType.AddToCart, T0), Active(journey), Policy, Sender(late), T0);

        var first = JourneySteps.OnEvent(state, "c1", JourneyStepsTests.Event(CustomerEventType.Purchase, T0.AddDays(2)), Active(journey), Policy, Sender(state), T0.AddDays(2));
        var second = JourneySteps.OnEvent(state, "c1", JourneyStepsTests.Event(CustomerEventType.Purchase, T0.AddDays(3)), Active(journey), Policy, Sender(state), T0.AddDays(3));
        var outside = JourneySteps.OnEvent(late, "c1", JourneyStepsTests.Event(CustomerEventType.Purchase, T0.AddDays(8)), Active(journey), Policy, Sender(late), T0.AddDays(8));

        Assert.Equal(JourneyEnd.Completed, state.Journeys![0].End);
        Assert.Equal(T0.AddDays(2), state.Journeys[0].ConvertedAt);
        Assert.Single(first.Counts, c => c.Counter == JourneyCounter.Converted && c.Label == JourneyOutcomes.Treated);
        Assert.DoesNotContain(second.Counts, c => c.Counter == JourneyCounter.Converted);
        Assert.DoesNotContain(outside.Counts, c => c.Counter == JourneyCounter.Converted);
    }

    [Fact]
    public void ResultsCompareTheTreatedWithTheHoldoutAndEachArmWithTheFirst()
    {
        KeyValuePair<JourneyCount, long> Total(JourneyCounter counter, string label, long n) => new(new("j", "s", counter, label), n);

        var outcomes = JourneyOutcomes.Of(
        [
            Total(JourneyCounter.Entered, "treated", 900), Total(JourneyCounter.Converted, "treated", 90),
            Total(JourneyCounter.Entered, "holdout", 100), Total(JourneyCounter.Converted, "holdout", 5),
            Total(JourneyCounter.Assigned, "a", 450), Total(JourneyCounter.ArmConverted, "a", 30),
            Total(JourneyCounter.Assigned, "b", 450), Total(JourneyCounter.ArmConverted, "b", 60),
        ]);
        var lift = outcomes.Lift();
        var (arm, baseline, difference) = Assert.Single(outcomes.ArmsAgainstFirst());

        Assert.Equal((900L, 100L), (lift.TreatmentSize, lift.ControlSize));
        Assert.Equal(0.05, lift.Estimate, 10);
        Assert.True(lift.Low < lift.Estimate && lift.Estimate < lift.High);
        Assert.Equal(("b", "a"), (arm, baseline));
        Assert.Equal((60.0 - 30) / 450, difference.Estimate, 10);
    }

    [Fact]
    public void AGoalPurchaseAddsItsAmountInCentsAndItsSquareForTheGroupAndTheArm()
    {
        JourneyStep[] steps =
        [
            new() { Id = "split", Kind = JourneyStepKind.Split, Paths = [new("a", 1, "send-a"), new("b", 1, "send-b")] },
            new() { Id = "send-a", Kind = JourneyStepKind.Send },
            new() { Id = "send-b", Kind = JourneyStepKind.Send },
        ];
        var journey = Journey(JourneyEntryKind.Event, steps) with { GoalEvent = CustomerEventType.Purchase, GoalWithin = TimeSpan.FromDays(7) };
        var state = Customer();
        JourneySteps.OnEvent(state, "c1", JourneyStepsTests.Event(CustomerEventType.AddToCart, T0), Active(journey), Policy, Sender(state), T0);
        var arm = state.Journeys![0].Arm!;

        var run = JourneySteps.OnEvent(state, "c1", JourneyStepsTests.Event(CustomerEventType.Purchase, T0.AddDays(1), price: 12.34), Active(journey), Policy, Sender(state), T0.AddDays(1));

        var sums = run.Sums.ToDictionary(s => (s.Key.Counter, s.Key.Label), s => s.Value);
        Assert.Equal(1234, sums[(JourneyCounter.GoalRevenue, JourneyOutcomes.Treated)]);
        Assert.Equal(152, sums[(JourneyCounter.GoalRevenueSquares, JourneyOutcomes.Treated)]); // 12.34² = 152.2756, rounded
        Assert.Equal(1234, sums[(JourneyCounter.ArmRevenue, arm)]);
        Assert.Equal(152, sums[(JourneyCounter.ArmRevenueSquares, arm)]);
        Assert.Equal(4, sums.Count);
    }

    [Fact]
    public void AGoalEventThatIsNotAPurchaseConvertsWithoutRevenue()
    {
        var journey = Journey(JourneyEntryKind.Event) with { GoalEvent = CustomerEventType.ProductView, GoalWithin = TimeSpan.FromDays(7) };
        var state = Customer();
        JourneySteps.OnEvent(state, "c1", JourneyStepsTests.Event(CustomerEventType.AddToCart, T0), Active(journey), Policy, Sender(state), T0);

        var run = JourneySteps.OnEvent(state, "c1", JourneyStepsTests.Event(CustomerEventType.ProductView, T0.AddHours(1)) with { Amount = 50 }, Active(journey), Policy, Sender(state), T0.AddHours(1));

        Assert.Contains(run.Counts, c => c.Counter == JourneyCounter.Converted && c.Label == JourneyOutcomes.Treated);
        Assert.Empty(run.Sums);
    }

    [Fact]
    public void RevenueIsCappedPerConversionAndNothingIsAddedWithoutAnAmount()
    {
        Assert.Empty(JourneyRevenue.Of("j", "s", JourneyOutcomes.Holdout, null, 0));
        var held = JourneyRevenue.Of("j", "s", JourneyOutcomes.Holdout, null, 5).ToList();
        Assert.Equal(new[] { JourneyCounter.GoalRevenue, JourneyCounter.GoalRevenueSquares }, held.Select(h => h.Key.Counter));
        Assert.Equal(100_000_000L, JourneyRevenue.Cents(1e300));
        Assert.Equal(0L, JourneyRevenue.Cents(double.NaN));
        Assert.Equal(1_000_000_000_000L, JourneyRevenue.Squares(1e300));
    }

    [Fact]
    public void RevenuePerRecipientPerGroupAndArmComesFromTheSumsWithTheirIntervals()
    {
        KeyValuePair<JourneyCount, long> Total(JourneyCounter counter, string label, long n) => new(new("j", "s", counter, label), n);

        // treated: 4 entries, 2 bought 10.00 and 30.00; holdout: 2 entries, 1 bought 10.00; arm a: 2 entries, one 10.00; arm b: 2 entries, one 30.00.
        var outcomes = JourneyOutcomes.Of(
        [
            Total(JourneyCounter.Entered, "treated", 4), Total(JourneyCounter.Converted, "treated", 2),
            Total(JourneyCounter.GoalRevenue, "treated", 4000), Total(JourneyCounter.GoalRevenueSquares, "treated", 1000),
            Total(JourneyCounter.Entered, "holdout", 2), Total(JourneyCounter.Converted, "holdout", 1),
            Total(JourneyCounter.GoalRevenue, "holdout", 1000), Total(JourneyCounter.GoalRevenueSquares, "holdout", 100),
            Total(JourneyCounter.Assigned, "a", 2), Total(JourneyCounter.ArmConverted, "a", 1),
            Total(JourneyCounter.ArmRevenue, "a", 1000), Total(JourneyCounter.ArmRevenueSquares, "a", 100),
            Total(JourneyCounter.Assigned, "b", 2), Total(JourneyCounter.ArmConverted, "b", 1),
            Total(JourneyCounter.ArmRevenue, "b", 3000), Total(JourneyCounter.ArmRevenueSquares, "b", 900),
        ]);

        Assert.Equal(40.0, outcomes.TreatedCounts.Revenue, 10);
        Assert.Equal(10.0, outcomes.TreatedCounts.RevenuePerRecipient, 10);
        Assert.Equal((1000.0 / 4) - (10.0 * 10), outcomes.TreatedCounts.RevenueVariance, 10);
        Assert.Equal(5.0, outcomes.HoldoutCounts.RevenuePerRecipient, 10);
        Assert.Equal(new[] { 5.0, 15.0 }, outcomes.Arms.Select(a => a.Counts.RevenuePerRecipient));
        var lift = outcomes.RevenueLift();
        Assert.Equal(5.0, lift.Estimate, 10);
        Assert.True(lift.Low < lift.Estimate && lift.Estimate < lift.High);
        var (arm, baseline, difference) = Assert.Single(outcomes.ArmRevenueAgainstFirst());
        Assert.Equal(("b", "a", 10.0), (arm, baseline, difference.Estimate));
    }

    [Fact]
    public void TheSampleRatioCheckFlagsASplitStepAndAHoldoutDrawOffTheirWeightsButNotOnes()
    {
        var journey = Journey(JourneyEntryKind.Event,
            new JourneyStep { Id = "first", Kind = JourneyStepKind.Split, Paths = [new("a", 1, "second"), new("b", 1, "second")] },
            new JourneyStep { Id = "second", Kind = JourneyStepKind.Split, Paths = [new("c", 1, "greet"), new("d", 3, "greet")] },
            SendOnce[0]) with { HoldoutShare = 0.1 };
        KeyValuePair<JourneyCount, long> Total(string step, JourneyCounter counter, string label, long n) => new(new("j", step, counter, label), n);

        // first: 4 800 / 5 200 of a 50/50 split (p ≈ 6e-5); second: 2 500 / 7 500 of a 1:3 split, exactly right.
        var skewed = new[]
        {
            Total("first", JourneyCounter.Assigned, "a", 4800), Total("first", JourneyCounter.Assigned, "b", 5200),
            Total("second", JourneyCounter.Assigned, "c", 2500), Total("second", JourneyCounter.Assigned, "d", 7500),
            Total("first", JourneyCounter.Entered, JourneyOutcomes.Treated, 9000), Total("first", JourneyCounter.Entered, JourneyOutcomes.Holdout, 1000),
        };
        var ratios = JourneyOutcomes.SplitRatios(journey, skewed);

        Assert.Equal(new[] { "first", "second" }, ratios.Select(r => r.StepId));
        Assert.True(ratios[0].P < SampleRatio.Threshold, $"p {ratios[0].P}");
        Assert.Equal(1.0, ratios[1].P, 10);
        Assert.Equal(1.0, JourneyOutcomes.HoldoutRatio(journey, skewed)!.Value, 10);

        // A holdout of 1 300 in 10 000 against a 10% share is a mismatch; a journey with no holdout has no check.
        var heavy = new[] { Total("first", JourneyCounter.Entered, JourneyOutcomes.Treated, 8700), Total("first", JourneyCounter.Entered, JourneyOutcomes.Holdout, 1300) };
        Assert.True(JourneyOutcomes.HoldoutRatio(journey, heavy) < SampleRatio.Threshold);
        Assert.Null(JourneyOutcomes.HoldoutRatio(journey with { HoldoutShare = 0 }, heavy));
    }

    [Fact]
    public void AWaitUntilALocalTimeEndsAtTheNextSuchTimeOnTheCustomersClock()
    {
        // New York is UTC-5 on 2 March: noon UTC is 07:00 local, so 08:30 local is 13:30 UTC today; 06:00 local is tomorrow.
        var state = Customer("America/New_York");
        var later = Journey(JourneyEntryKind.Event, new JourneyStep { Id = "w", Kind = JourneyStepKind.Wait, UntilLocalTime = new TimeSpan(8, 30, 0) });
        var tomorrow = Journey(JourneyEntryKind.Event, new JourneyStep { Id = "w", Kind = JourneyStepKind.Wait, UntilLocalTime = new TimeSpan(6, 0, 0) });
        var other = Customer("America/New_York");

        JourneySteps.OnEvent(state, "c1", JourneyStepsTests.Event(CustomerEventType.AddToCart, T0), Active(later), Policy, Sender(state), T0);
        JourneySteps.OnEvent(other, "c1", JourneyStepsTests.Event(CustomerEventType.AddToCart, T0), Active(tomorrow), Policy, Sender(other), T0);

        Assert.Equal(new DateTime(2026, 3, 2, 13, 30, 0, DateTimeKind.Utc), state.Journeys![0].DueAt);
        Assert.Equal(new DateTime(2026, 3, 3, 11, 0, 0, DateTimeKind.Utc), other.Journeys![0].DueAt);
    }

    [Theory]
    [InlineData("journey.entry.segment")]
    [InlineData("journey.steps[0].split.paths")]
    [InlineData("journey.holdout_share")]
    [InlineData("journey.goal.within")]
    [InlineData("journey.steps[0].wait")]
    public void BadNewFieldsAreRefusedNamingTheField(string field)
    {
        var journey = field switch
        {
            "journey.entry.segment" => Journey(JourneyEntryKind.SegmentJoin) with { EntrySegment = "" },
            "journey.steps[0].split.paths" => Journey(JourneyEntryKind.Event, new JourneyStep { Id = "s", Kind = JourneyStepKind.Split, Paths = [new("a", 1, "")] }),
            "journey.holdout_share" => Journey(JourneyEntryKind.Event) with { HoldoutShare = 0.9 },
            "journey.goal.within" => Journey(JourneyEntryKind.Event) with { GoalEvent = CustomerEventType.Purchase },
            _ => Journey(JourneyEntryKind.Event, new JourneyStep { Id = "w", Kind = JourneyStepKind.Wait, Duration = TimeSpan.FromHours(1), UntilLocalTime = TimeSpan.FromHours(9) }),
        };

        var errors = JourneyRules.Validate(journey);

        Assert.Contains(errors, e => e.Field == field);
    }
}
