using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Journeys;
using Personalization.Decisioning.Measurement;
using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Tests.Journeys;

/// <summary>The pure stepper: entry, waits, exits on events, wait-for-event paths, branches, re-entry, and sends through the decision engine.</summary>
public sealed class JourneyStepsTests
{
    private static readonly DateTime T0 = new(2026, 3, 2, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DecisionPolicy Policy = new() { HoldoutShare = 0, ExplorationShare = 0 };
    private static readonly ScoredOffer[] Offers = [new(new Offer { OfferId = "o1", Name = "10% off", Type = OfferType.Discount, Value = 10, Channels = [Channel.Email] }, 0.2, 0, 0)];

    internal static JourneyDefinition Cart(params JourneyStep[] steps) => new()
    {
        JourneyId = "cart",
        Version = 1,
        Name = "Cart",
        EntryEvent = CustomerEventType.AddToCart,
        EntryRule = "cart_value > 20",
        Steps = steps.Length > 0 ? steps :
        [
            new() { Id = "wait", Kind = JourneyStepKind.Wait, Duration = TimeSpan.FromHours(1), Next = "remind" },
            new() { Id = "remind", Kind = JourneyStepKind.Send },
        ],
        ExitEvents = [CustomerEventType.Purchase],
        OfferIds = ["o1"],
    };

    private static JourneySnapshot Active(JourneyDefinition journey, JourneyStatus status = JourneyStatus.Active) =>
        new(1, new Dictionary<string, JourneyStatus> { [journey.JourneyId] = status }, [journey]);

    private static JourneySendResult Send(CustomerState state, JourneyDefinition journey, JourneyStep step, Enrollment enrollment, DateTime now) =>
        JourneySends.Decide("c1", state, journey, step, enrollment, Offers, 0.2, Policy, null, now);

    private static JourneySender Sender(CustomerState state) => (journey, step, enrollment, now) => Send(state, journey, step, enrollment, now);

    internal static CustomerState Consented()
    {
        var state = new CustomerState();
        CustomerEvents.Apply(state, new CustomerEvent { EventId = "consent", CustomerId = "c1", Type = CustomerEventType.ConsentGranted, Channel = Channel.Email, OccurredAt = T0.AddDays(-1) });
        return state;
    }

    internal static CustomerEvent Event(CustomerEventType type, DateTime at, double price = 30, string? order = null) => new()
    {
        EventId = Guid.NewGuid().ToString("N"),
        CustomerId = "c1",
        Type = type,
        Channel = Channel.Web,
        OccurredAt = at,
        OrderId = order,
        Amount = type == CustomerEventType.Purchase ? price : 0,
        Items = type == CustomerEventType.AddToCart ? [new LineItem("p1", 1, price)] : null,
        Properties = order is null ? null : new() { ["cart_id"] = TraitValue.Of(order) },
    };

    private static JourneyRun Track(CustomerState state, CustomerEvent e, JourneySnapshot journeys)
    {
        CustomerEvents.Apply(state, e);
        return JourneySteps.OnEvent(state, "c1", e, journeys, Policy, Sender(state), e.OccurredAt);
    }

    [Fact]
    public void TheGlobalControlGroupGetsNoJourneyMessageAndIsReportedAsSuch()
    {
        var journey = Cart();
        var state = Consented();
        var enrollment = new Enrollment { JourneyId = "cart", Version = 1, Step = "remind", Number = 1, EnteredAt = T0 };
        var heldOut = Policy with { GlobalControlShare = 0.1 };
        var customer = Enumerable.Range(0, 1000).Select(i => $"c{i}").First(c => GlobalControl.IsHeldOut(c, heldOut.GlobalControlSalt, 0.1));
        var other = Enumerable.Range(0, 1000).Select(i => $"c{i}").First(c => !GlobalControl.IsHeldOut(c, heldOut.GlobalControlSalt, 0.1));

        var held = JourneySends.Decide(customer, state, journey, journey.Steps[1], enrollment, Offers, 0.2, heldOut, null, T0);
        var sent = JourneySends.Decide(other, state, journey, journey.Steps[1], enrollment, Offers, 0.2, heldOut, null, T0);

        Assert.Equal((CampaignSuppression.GlobalControl, 0), (held.Suppression, held.Deliveries.Count));
        Assert.Equal((CampaignSuppression.None, 1), (sent.Suppression, sent.Deliveries.Count));
    }

    [Fact]
    public void AnAddToCartOverTheRuleEntersAndWaitsAnHour()
    {
        var state = Consented();

        var run = Track(state, Event(CustomerEventType.AddToCart, T0), Active(Cart()));

        var enrollment = Assert.Single(state.Journeys!);
        Assert.Equal(("wait", T0.AddHours(1), 1, true), (enrollment.Step, enrollment.DueAt, enrollment.Number, enrollment.Active));
        Assert.Equal(enrollment, Assert.Single(run.Changes).Enrollment);
        Assert.Empty(run.Deliveries);
        Assert.Contains(new JourneyCount("cart", "wait", JourneyCounter.Entered, JourneyOutcomes.Treated), run.Counts);
        Assert.Equal(T0.AddHours(1), JourneySteps.NextDue(state));
    }

    [Fact]
    public void ACartUnderTheEntryRuleDoesNotEnter()
    {
        var state = Consented();

        var run = Track(state, Event(CustomerEventType.AddToCart, T0, price: 5), Active(Cart()));

        Assert.Null(state.Journeys);
        Assert.Empty(run.Changes);
    }

    [Fact]
    public void ADraftOrPausedJourneyEntersNobody()
    {
        var (draft, paused) = (Consented(), Consented());

        Track(draft, Event(CustomerEventType.AddToCart, T0), Active(Cart(), JourneyStatus.Draft));
        Track(paused, Event(CustomerEventType.AddToCart, T0), Active(Cart(), JourneyStatus.Paused));

        Assert.Null(draft.Journeys);
        Assert.Null(paused.Journeys);
    }

    [Fact]
    public void WakingWhenTheWaitEndsSendsOnceWithAStableDeliveryIdAndCompletes()
    {
        var state = Consented();
        var journeys = Active(Cart());
        Track(state, Event(CustomerEventType.AddToCart, T0), journeys);

        var early = JourneySteps.Wake(state, "c1", journeys, Policy, Sender(state), T0.AddMinutes(59));
        var due = JourneySteps.Wake(state, "c1", journeys, Policy, Sender(state), T0.AddHours(1));
        var again = JourneySteps.Wake(state, "c1", journeys, Policy, Sender(state), T0.AddHours(2));

        Assert.Empty(early.Changes);
        var delivery = Assert.Single(due.Deliveries);
        Assert.Equal(("cart:c1:1:remind", "o1", Channel.Email, T0.AddHours(1)), (delivery.DeliveryId, delivery.OfferId, delivery.Channel, delivery.SendAt));
        var enrollment = Assert.Single(state.Journeys!);
        Assert.Equal((JourneyEnd.Completed, (DateTime?)T0.AddHours(1)), (enrollment.End, enrollment.EndedAt));
        Assert.Single(Assert.Single(due.Changes).Records);
        Assert.Contains(state.Decisions, d => d.DecisionId == delivery.DecisionId);
        Assert.Empty(again.Changes);
        Assert.Null(JourneySteps.NextDue(state));
    }

    [Fact]
    public void APurchaseDuringTheWaitExitsAtOnceAndNothingIsSent()
    {
        var state = Consented();
        var journeys = Active(Cart());
        Track(state, Event(CustomerEventType.AddToCart, T0), journeys);

        var run = Track(state, Event(CustomerEventType.Purchase, T0.AddMinutes(10)), journeys);
        var woken = JourneySteps.Wake(state, "c1", journeys, Policy, Sender(state), T0.AddHours(1));

        var enrollment = Assert.Single(state.Journeys!);
        Assert.Equal((JourneyEnd.ExitEvent, false, (DateTime?)null), (enrollment.End, enrollment.Active, enrollment.DueAt));
        Assert.Contains(new JourneyCount("cart", "wait", JourneyCounter.Ended, "ExitEvent"), run.Counts);
        Assert.Empty(woken.Deliveries);
        Assert.Empty(woken.Changes);
    }

    [Fact]
    public void WithoutConsentTheSendIsSuppressedAndTheJourneyGoesOn()
    {
        var state = new CustomerState();
        var journeys = Active(Cart());
        Track(state, Event(CustomerEventType.AddToCart, T0), journeys);

        var due = JourneySteps.Wake(state, "c1", journeys, Policy, Sender(state), T0.AddHours(1));

        Assert.Empty(due.Deliveries);
        Assert.Contains(new JourneyCount("cart", "remind", JourneyCounter.Suppressed, nameof(CampaignSuppression.NoConsent)), due.Counts);
        Assert.Equal(JourneyEnd.Completed, Assert.Single(state.Journeys!).End);
    }

    [Fact]
    public void ASendInQuietHoursWaitsForTheirEnd()
    {
        var state = Consented();
        var journeys = Active(Cart());
        var evening = new DateTime(2026, 3, 2, 21, 30, 0, DateTimeKind.Utc);
        Track(state, Event(CustomerEventType.AddToCart, evening), journeys);

        var quiet = JourneySteps.Wake(state, "c1", journeys, Policy, Sender(state), evening.AddHours(1));
        var morning = JourneySteps.Wake(state, "c1", journeys, Policy, Sender(state), new DateTime(2026, 3, 3, 8, 0, 0, DateTimeKind.Utc));

        Assert.Empty(quiet.Deliveries);
        Assert.Equal(("remind", (DateTime?)new DateTime(2026, 3, 3, 8, 0, 0, DateTimeKind.Utc)), (Assert.Single(quiet.Changes).Enrollment.Step, quiet.Changes[0].Enrollment.DueAt));
        Assert.Single(morning.Deliveries);
    }

    [Fact]
    public void WaitForEventTakesTheEventPathOnlyForTheMatchingOrderAndTheTimeoutPathOtherwise()
    {
        var journey = Cart(
            new() { Id = "await", Kind = JourneyStepKind.WaitForEvent, EventType = CustomerEventType.CheckoutStarted, Timeout = TimeSpan.FromHours(24), MatchProperty = "cart_id", OnEvent = "thanks", OnTimeout = "nudge" },
            new() { Id = "thanks", Kind = JourneyStepKind.Exit },
            new() { Id = "nudge", Kind = JourneyStepKind.Send }) with { ExitEvents = [] };
        var (matched, timedOut) = (Consented(), Consented());
        var journeys = Active(journey);
        Track(matched, Event(CustomerEventType.AddToCart, T0, order: "cart-1"), journeys);
        Track(timedOut, Event(CustomerEventType.AddToCart, T0, order: "cart-1"), journeys);

        var other = Track(matched, Event(CustomerEventType.CheckoutStarted, T0.AddHours(1), order: "cart-2"), journeys);
        Track(matched, Event(CustomerEventType.CheckoutStarted, T0.AddHours(2), order: "cart-1"), journeys);
        var timeout = JourneySteps.Wake(timedOut, "c1", journeys, Policy, Sender(timedOut), T0.AddHours(24));

        Assert.Empty(other.Changes);
        Assert.Equal(("thanks", JourneyEnd.ExitStep), (matched.Journeys![0].Step, matched.Journeys[0].End));
        Assert.Equal("cart:c1:1:nudge", Assert.Single(timeout.Deliveries).DeliveryId);
    }

    [Fact]
    public void ABranchTakesThePathItsRuleChooses()
    {
        var journey = Cart(
            new() { Id = "big?", Kind = JourneyStepKind.Branch, Rule = "cart_value > 100", Then = "vip", Otherwise = "done" },
            new() { Id = "vip", Kind = JourneyStepKind.Send },
            new() { Id = "done", Kind = JourneyStepKind.Exit });
        var (big, small) = (Consented(), Consented());

        var bigRun = Track(big, Event(CustomerEventType.AddToCart, T0, price: 150), Active(journey));
        var smallRun = Track(small, Event(CustomerEventType.AddToCart, T0, price: 30), Active(journey));

        Assert.Single(bigRun.Deliveries);
        Assert.Equal(JourneyEnd.Completed, big.Journeys![0].End);
        Assert.Empty(smallRun.Deliveries);
        Assert.Equal(JourneyEnd.ExitStep, small.Journeys![0].End);
    }

    [Theory]
    [InlineData(ReEntryPolicy.Never, 0, false)]
    [InlineData(ReEntryPolicy.AfterExit, 0, true)]
    [InlineData(ReEntryPolicy.AfterPeriod, 1, false)]
    [InlineData(ReEntryPolicy.AfterPeriod, 49, true)]
    public void ReEntryFollowsThePolicyAndNeverTwiceAtOnce(ReEntryPolicy policy, int hoursLater, bool entersAgain)
    {
        var state = Consented();
        var journeys = Active(Cart() with { ReEntry = policy, ReEntryAfter = TimeSpan.FromHours(48) });
        Track(state, Event(CustomerEventType.AddToCart, T0), journeys);
        var whileIn = Track(state, Event(CustomerEventType.AddToCart, T0.AddMinutes(1)), journeys);
        Track(state, Event(CustomerEventType.Purchase, T0.AddMinutes(2)), journeys);

        var later = Track(state, Event(CustomerEventType.AddToCart, T0.AddHours(hoursLater).AddMinutes(3)), journeys);

        Assert.Empty(whileIn.Changes);
        Assert.Equal(entersAgain, later.Changes.Count == 1);
        Assert.Equal(entersAgain ? 2 : 1, Assert.Single(state.Journeys!).Number);
    }

    [Theory]
    [InlineData(0, 4)]
    [InlineData(1, 1)]
    [InlineData(3, 3)]
    public void TheEntryLimitCapsEntriesPerCustomerWhateverTheReEntryPolicyAllows(int maxEntries, int entries)
    {
        var state = Consented();
        var journeys = Active(Cart() with { ReEntry = ReEntryPolicy.AfterExit, MaxEntries = maxEntries });
        for (var i = 0; i < 4; i++)
        {
            Track(state, Event(CustomerEventType.AddToCart, T0.AddHours(i)), journeys);
            Track(state, Event(CustomerEventType.Purchase, T0.AddHours(i).AddMinutes(1)), journeys);
        }

        Assert.Equal(entries, Assert.Single(state.Journeys!).Number);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1001)]
    public void AnEntryLimitOutOfRangeIsRefusedNamingTheField(int maxEntries)
    {
        var errors = JourneyRules.Validate(Cart() with { MaxEntries = maxEntries });

        Assert.Contains(errors, e => e.Field == "journey.re_entry.max_entries");
    }

    [Fact]
    public void AnArchivedJourneyEndsItsEnrollmentsAndAPausedOneHoldsThem()
    {
        var (archived, paused) = (Consented(), Consented());
        Track(archived, Event(CustomerEventType.AddToCart, T0), Active(Cart()));
        Track(paused, Event(CustomerEventType.AddToCart, T0), Active(Cart()));

        JourneySteps.Wake(archived, "c1", Active(Cart(), JourneyStatus.Archived), Policy, Sender(archived), T0.AddHours(2));
        var held = JourneySteps.Wake(paused, "c1", Active(Cart(), JourneyStatus.Paused), Policy, Sender(paused), T0.AddHours(2));
        var resumed = JourneySteps.Wake(paused, "c1", Active(Cart()), Policy, Sender(paused), T0.AddHours(3));

        Assert.Equal(JourneyEnd.Archived, archived.Journeys![0].End);
        Assert.Empty(held.Changes);
        Assert.Single(resumed.Deliveries);
    }
}
