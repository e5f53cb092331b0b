using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Journeys;
using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Tests.Journeys;

/// <summary>Mutually exclusive journeys (exclusion groups) and the total entry limit, in the pure stepper.</summary>
public sealed class JourneyExclusionTests
{
    private static readonly DateTime T0 = new(2026, 3, 2, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DecisionPolicy Policy = new() { HoldoutShare = 0, ExplorationShare = 0 };
    private static readonly ScoredOffer[] Offers = [new(new Offer { OfferId = "o1", Name = "10% off", Type = OfferType.Discount, Value = 10, Channels = [Channel.Email] }, 0.2, 0, 0)];

    private static JourneyDefinition Journey(string id, int priority, string group, CustomerEventType entry = CustomerEventType.AddToCart) => new()
    {
        JourneyId = id,
        Version = 1,
        Name = id,
        EntryEvent = entry,
        Priority = priority,
        ExclusionGroup = group,
        Steps =
        [
            new() { Id = "wait", Kind = JourneyStepKind.Wait, Duration = TimeSpan.FromHours(1), Next = "remind" },
            new() { Id = "remind", Kind = JourneyStepKind.Send },
        ],
        ExitEvents = [CustomerEventType.Purchase],
        OfferIds = ["o1"],
        ReEntry = ReEntryPolicy.AfterExit,
    };

    private static JourneySnapshot Active(params JourneyDefinition[] journeys) =>
        new(1, journeys.ToDictionary(j => j.JourneyId, _ => JourneyStatus.Active), journeys);

    private static JourneyRun Track(CustomerState state, CustomerEventType type, DateTime at, JourneySnapshot journeys, JourneyValue? value = null)
    {
        var e = JourneyStepsTests.Event(type, at);
        CustomerEvents.Apply(state, e);
        JourneySender send = (journey, step, enrollment, now) => JourneySends.Decide("c1", state, journey, step, enrollment, Offers, 0.2, Policy, null, now);
        return JourneySteps.OnEvent(state, "c1", e, journeys, Policy, send, at, value);
    }

    private static bool IsActiveIn(CustomerState state, string journeyId) => JourneySteps.Of(state, journeyId)?.Active == true;

    private static long NotEntered(JourneyRun run, string journeyId, JourneyNotEntered reason) =>
        run.Counts.Count(c => c.JourneyId == journeyId && c.Counter == JourneyCounter.NotEntered && c.Label == reason.ToString());

    [Theory]
    [InlineData(5, 1, "high")]
    [InlineData(1, 5, "low")]
    [InlineData(3, 3, "high")] // equal priority: the lower id ("high" < "low") wins
    public void OneEventEnteringTwoExclusiveJourneysEntersOnlyTheHigherPriority(int highPriority, int lowPriority, string winner)
    {
        var state = JourneyStepsTests.Consented();
        var journeys = Active(Journey("low", lowPriority, "cart-nudges"), Journey("high", highPriority, "cart-nudges"));

        var run = Track(state, CustomerEventType.AddToCart, T0, journeys);

        var loser = winner == "high" ? "low" : "high";
        Assert.True(IsActiveIn(state, winner));
        Assert.Null(JourneySteps.Of(state, loser));
        Assert.Equal(1, NotEntered(run, loser, JourneyNotEntered.Excluded));
        Assert.Single(run.Counts, c => c.Counter == JourneyCounter.Entered);
    }

    [Theory]
    [InlineData(3, 3, 0.5, 2.0, "low")] // equal priority: the higher expected value wins, whatever the ids
    [InlineData(3, 3, 2.0, 0.5, "high")]
    [InlineData(3, 3, 1.0, 1.0, "high")] // equal value too: the lower id
    [InlineData(5, 1, 0.5, 9.0, "high")] // priority first: value only breaks ties
    public void EqualPrioritiesAreDecidedByTheExpectedValueToTheCustomer(int highPriority, int lowPriority, double highValue, double lowValue, string winner)
    {
        var state = JourneyStepsTests.Consented();
        var journeys = Active(Journey("low", lowPriority, "cart-nudges"), Journey("high", highPriority, "cart-nudges"));
        var asked = new List<string>();
        JourneyValue value = journey =>
        {
            asked.Add(journey.JourneyId);
            return journey.JourneyId == "high" ? highValue : lowValue;
        };

        var run = Track(state, CustomerEventType.AddToCart, T0, journeys, value);

        var loser = winner == "high" ? "low" : "high";
        Assert.True(IsActiveIn(state, winner));
        Assert.Equal(1, NotEntered(run, loser, JourneyNotEntered.Excluded));
        // The value is asked only of journeys tied on priority (it scores offers).
        Assert.Equal(highPriority == lowPriority ? ["high", "low"] : [], asked.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheJourneysValueIsItsBestOffersAcceptanceTimesValue()
    {
        Offer Offer(string id, double value) => new() { OfferId = id, Name = id, Type = OfferType.Discount, Value = value, Channels = [Channel.Email] };

        Assert.Equal(0, JourneySends.ExpectedValue([]));
        Assert.Equal(4.0, JourneySends.ExpectedValue([new(Offer("a", 10), 0.2, 0, 0), new(Offer("b", 40), 0.1, 0, 0), new(Offer("c", 100), 0.01, 0, 0)]), 9);
    }

    [Fact]
    public void AHigherPriorityJourneyDoesNotDisplaceALowerOneInFlightAndEntersOnceItEnds()
    {
        var state = JourneyStepsTests.Consented();
        var low = Journey("low", 1, "g", CustomerEventType.PageView);
        var high = Journey("high", 9, "g");
        var journeys = Active(low, high);

        Track(state, CustomerEventType.PageView, T0, journeys);
        var blocked = Track(state, CustomerEventType.AddToCart, T0.AddMinutes(5), journeys);

        Assert.True(IsActiveIn(state, "low"));
        Assert.Null(JourneySteps.Of(state, "high"));
        Assert.Equal(1, NotEntered(blocked, "high", JourneyNotEntered.Excluded));

        // The purchase exits the lower one first; the next cart then enters the higher one.
        Track(state, CustomerEventType.Purchase, T0.AddMinutes(10), journeys);
        var entered = Track(state, CustomerEventType.AddToCart, T0.AddMinutes(15), journeys);
        Assert.True(IsActiveIn(state, "high"));
        Assert.Equal(0, NotEntered(entered, "high", JourneyNotEntered.Excluded));
    }

    [Fact]
    public void JourneysOfOtherGroupsOrNoGroupDoNotExcludeEachOther()
    {
        var state = JourneyStepsTests.Consented();
        var journeys = Active(Journey("a", 1, "g1"), Journey("b", 1, "g2"), Journey("c", 1, ""), Journey("d", 1, ""));

        Track(state, CustomerEventType.AddToCart, T0, journeys);

        Assert.All(["a", "b", "c", "d"], id => Assert.True(IsActiveIn(state, id)));
    }

    [Fact]
    public void ACustomerIsNeverActiveInTwoJourneysOfOneGroupWhateverTheEvents()
    {
        // Property: random event sequences over four journeys of one group with random priorities.
        var random = new Random(16);
        for (var round = 0; round < 200; round++)
        {
            var types = new[] { CustomerEventType.AddToCart, CustomerEventType.PageView, CustomerEventType.Purchase, CustomerEventType.ProductView };
            var journeys = Active([.. types.Take(3).Select((t, i) => Journey($"j{i}", random.Next(3), "g", t)), Journey("j3", random.Next(3), "g", CustomerEventType.ProductView)]);
            var state = JourneyStepsTests.Consented();
            var at = T0;
            for (var step = 0; step < 12; step++)
            {
                at = at.AddMinutes(random.Next(1, 120));
                Track(state, types[random.Next(types.Length)], at, journeys);
                Assert.True((state.Journeys ?? []).Count(e => e.Active) <= 1, $"round {round} step {step}: {string.Join(",", (state.Journeys ?? []).Where(e => e.Active).Select(e => e.JourneyId))}");
            }
        }
    }

    [Fact]
    public void AJourneyKnownFullEntersNobodyAndCountsTheLimit()
    {
        var state = JourneyStepsTests.Consented();
        var journey = Journey("j", 1, "") with { MaxTotalEntries = 10 };
        var journeys = Active(journey);

        var run = Track(state, CustomerEventType.AddToCart, T0, journeys.WithFull(new HashSet<string> { "j" }));

        Assert.Null(JourneySteps.Of(state, "j"));
        Assert.Equal(1, NotEntered(run, "j", JourneyNotEntered.TotalLimit));
        Assert.Null(JourneySteps.Bar(state, journey, journeys));
    }

    [Theory]
    [InlineData("has space", 0L, "journey.exclusion_group")]
    [InlineData("a:b", 0L, "journey.exclusion_group")]
    [InlineData("ok-group_1.x", -1L, "journey.re_entry.max_total_entries")]
    [InlineData("", 1_000_000_001L, "journey.re_entry.max_total_entries")]
    public void AnExclusionGroupOrTotalLimitOutOfShapeIsRefusedNamingTheField(string group, long total, string field)
    {
        var journey = Journey("j", 1, group) with { MaxTotalEntries = total };

        var errors = JourneyRules.Validate(journey);

        Assert.Contains(errors, e => e.Field == field);
        Assert.Single(errors);
    }
}
