using Personalization.Decisioning.Customers;
using static Personalization.Decisioning.Tests.Customers.Events;

namespace Personalization.Decisioning.Tests.Customers;

public sealed class CustomerEventsTests
{
    [Fact]
    public void ARealisticMixedSequenceGivesTheHandComputedAggregates()
    {
        // Three days of a retail customer on web, email and SMS.
        var state = Apply(
            Of(CustomerEventType.SessionStarted, T0, Channel.Web),
            Of(CustomerEventType.PageView, T0.AddMinutes(1), Channel.Web),
            Of(CustomerEventType.Search, T0.AddMinutes(2), Channel.Web) with { Query = "running shoes" },
            Of(CustomerEventType.ProductView, T0.AddMinutes(3), Channel.Web) with { ProductId = "p1" },
            Cart(CustomerEventType.AddToCart, T0.AddMinutes(4), "p1", 2, 50),
            Cart(CustomerEventType.AddToCart, T0.AddMinutes(5), "p2", 1, 20),
            Cart(CustomerEventType.RemoveFromCart, T0.AddMinutes(6), "p1", 1, 50),
            Of(CustomerEventType.CheckoutStarted, T0.AddMinutes(7), Channel.Web),
            Purchase(T0.AddMinutes(8), 70),
            Of(CustomerEventType.MessageSent, T0.AddDays(1), Channel.Email),
            Of(CustomerEventType.MessageDelivered, T0.AddDays(1).AddMinutes(1), Channel.Email),
            Of(CustomerEventType.MessageOpened, T0.AddDays(1).AddHours(2), Channel.Email),
            Of(CustomerEventType.MessageClicked, T0.AddDays(1).AddHours(2).AddMinutes(1), Channel.Email),
            Of(CustomerEventType.MessageSent, T0.AddDays(1), Channel.Sms),
            Of(CustomerEventType.SessionStarted, T0.AddDays(2), Channel.App),
            Of(CustomerEventType.ScreenView, T0.AddDays(2).AddMinutes(1), Channel.App),
            Cart(CustomerEventType.AddToCart, T0.AddDays(2).AddMinutes(2), "p3", 3, 10),
            Of(CustomerEventType.CallCenterContact, T0.AddDays(2).AddHours(1), Channel.CallCenter) with { Reason = "billing" },
            Purchase(T0.AddDays(2).AddHours(3), 30.5));

        var b = state.Behaviour;
        Assert.Equal(19, state.EventCount);
        Assert.Equal(2, b.Sessions);
        Assert.Equal(3, b.Views);
        Assert.Equal(1, b.Searches);
        Assert.Equal(3, b.CartAdds);
        Assert.Equal(1, b.Checkouts);
        Assert.Equal(2, b.Purchases);
        Assert.Equal(100.5, b.Revenue);
        Assert.Equal(T0.AddDays(2).AddHours(3), b.LastPurchaseAt);
        Assert.Equal(T0.AddMinutes(8), b.FirstPurchaseAt);
        Assert.Equal(1, b.CallCenterContacts);
        Assert.Equal("billing", b.LastContactReason);
        Assert.Empty(state.Cart.Lines); // the second purchase closed the second cart
        var email = state.Channel(Channel.Email);
        Assert.Equal((1, 1, 1, 1, 0), (email.Sent, email.Delivered, email.Opened, email.Clicked, email.Converted));
        Assert.Equal(1, state.Channel(Channel.Sms).Sent);
        Assert.Equal(2, state.SessionsInLast(7, T0.AddDays(2)));
        Assert.Equal(1, state.SessionsInLast(1, T0.AddDays(2)));
        Assert.Equal(T0, state.FirstSeenAt);
        Assert.Equal(T0.AddDays(2).AddHours(3), state.LastSeenAt);
        // Engagement in UTC (no time zone): 2 sessions, 2 purchases, 1 open, 1 click.
        Assert.Equal(6, Enumerable.Range(0, CustomerState.HoursPerWeek).Sum(state.Engagement));
        Assert.Equal(2, state.Engagement(9)); // Monday 09:00: the session and the first purchase
    }

    [Fact]
    public void TheOpenCartHoldsItsLinesValueAndStart()
    {
        var state = Apply(
            Cart(CustomerEventType.AddToCart, T0, "p1", 2, 50),
            Cart(CustomerEventType.AddToCart, T0.AddMinutes(5), "p2", 1, 20),
            Cart(CustomerEventType.RemoveFromCart, T0.AddMinutes(6), "p1", 1, 50));

        Assert.Equal(2, state.Cart.Items);
        Assert.Equal(70, state.Cart.Value);
        Assert.Equal(T0, state.Cart.Since);
    }

    [Fact]
    public void AReplayedEventIdChangesNothing()
    {
        var purchase = Purchase(T0, 40, id: "order-1");
        var state = Apply(purchase);

        var outcome = CustomerEvents.Apply(state, purchase);

        Assert.Equal(ApplyOutcome.Duplicate, outcome);
        Assert.Equal(1, state.Behaviour.Purchases);
        Assert.Equal(40, state.Behaviour.Revenue);
        Assert.Equal(1, state.EventCount);
    }

    [Fact]
    public void EventIdsAreForgottenOnlyAfterTheWindowFills()
    {
        var first = Of(CustomerEventType.PageView, T0, id: "first");
        var state = Apply(first);
        for (var i = 0; i < CustomerState.RecentEventIdsKept - 1; i++)
        {
            CustomerEvents.Apply(state, Of(CustomerEventType.PageView, T0, id: $"filler-{i}"));
        }

        Assert.Equal(ApplyOutcome.Duplicate, CustomerEvents.Apply(state, first));
        CustomerEvents.Apply(state, Of(CustomerEventType.PageView, T0, id: "one-more"));
        Assert.Equal(ApplyOutcome.Applied, CustomerEvents.Apply(state, first));
    }

    [Fact]
    public void TheIdRingGrowsWithTheEventsUpToTheWindow()
    {
        var state = new CustomerState();
        Assert.Empty(state.RecentEventIds);

        var sizes = new List<int>();
        for (var i = 0; i < 200; i++)
        {
            CustomerEvents.Apply(state, Of(CustomerEventType.PageView, T0, id: $"e{i}"));
            sizes.Add(state.RecentEventIds.Length);
        }

        Assert.Equal([8, 16, 32, 64, 128], sizes.Distinct());
        Assert.Equal(8, sizes[7]);
        Assert.Equal(16, sizes[8]);
        Assert.Equal(ApplyOutcome.Duplicate, CustomerEvents.Apply(state, Of(CustomerEventType.PageView, T0, id: "e199")));
        Assert.Equal(ApplyOutcome.Duplicate, CustomerEvents.Apply(state, Of(CustomerEventType.PageView, T0, id: "e72")));
        Assert.Equal(ApplyOutcome.Applied, CustomerEvents.Apply(state, Of(CustomerEventType.PageView, T0, id: "e71")));
    }

    [Fact]
    public void AStateSavedWithTheFullRingKeepsItsWindow()
    {
        // States written before the ring grew on demand hold all 128 slots from the start.
        var state = new CustomerState { RecentEventIds = new long[CustomerState.RecentEventIdsKept] };
        var first = Of(CustomerEventType.PageView, T0, id: "first");
        CustomerEvents.Apply(state, first);
        CustomerEvents.Apply(state, Of(CustomerEventType.PageView, T0, id: "second"));

        Assert.Equal(CustomerState.RecentEventIdsKept, state.RecentEventIds.Length);
        Assert.Equal(ApplyOutcome.Duplicate, CustomerEvents.Apply(state, first));
    }

    [Fact]
    public void ALateTraitDoesNotOverwriteANewerOne()
    {
        var state = Apply(
            Traits(T0.AddHours(1), ("plan", TraitValue.Of("gold"))),
            Traits(T0, ("plan", TraitValue.Of("silver")), ("tenure", TraitValue.Of(12L))));

        Assert.Equal("gold", state.Traits["plan"].Value.Text);
        Assert.Equal(12, state.Traits["tenure"].Value.Integer);
    }

    [Fact]
    public void LateEventsLandOnTheirOwnDay()
    {
        var now = T0.AddDays(20);
        var state = Apply(
            Of(CustomerEventType.SessionStarted, now),
            Of(CustomerEventType.SessionStarted, T0), // 20 days late
            Of(CustomerEventType.SessionStarted, now.AddDays(-3)));

        Assert.Equal(2, state.SessionsInLast(7, now));
        Assert.Equal(3, state.SessionsInLast(30, now));
        Assert.Equal(T0, state.FirstSeenAt);
        Assert.Equal(now, state.LastSeenAt);
    }

    [Fact]
    public void ALatePurchaseKeepsTheLatestPurchaseTime()
    {
        var state = Apply(Purchase(T0.AddDays(5), 10), Purchase(T0, 20));

        Assert.Equal(T0.AddDays(5), state.Behaviour.LastPurchaseAt);
        Assert.Equal(T0, state.Behaviour.FirstPurchaseAt);
        Assert.Equal(5, state.DaysSinceLastPurchase(T0.AddDays(10)));
    }

    [Fact]
    public void ALateCartChangeDoesNotReopenACartClosedByALaterPurchase()
    {
        var state = Apply(Purchase(T0.AddHours(1), 10), Cart(CustomerEventType.AddToCart, T0, "p1", 1, 10));

        Assert.Empty(state.Cart.Lines);
    }

    [Fact]
    public void ConsentFollowsTheLatestEventTimeWhateverTheArrivalOrder()
    {
        var state = Apply(
            Consent(false, Channel.Email, T0.AddHours(2)),
            Consent(true, Channel.Email, T0.AddHours(1)),
            Consent(true, Channel.Sms, T0));

        Assert.False(state.CanContact(Channel.Email));
        Assert.True(state.CanContact(Channel.Sms));
        Assert.False(state.CanContact(Channel.Push));
    }

    [Fact]
    public void UnsubscribeSuppressesUntilConsentIsGrantedAgain()
    {
        var state = Apply(Consent(true, Channel.Email, T0), Of(CustomerEventType.Unsubscribed, T0.AddDays(1), Channel.Email));
        Assert.False(state.CanContact(Channel.Email));
        Assert.Equal("unsubscribed", state.Channel(Channel.Email).SuppressedReason);

        CustomerEvents.Apply(state, Consent(true, Channel.Email, T0.AddDays(2)));

        Assert.True(state.CanContact(Channel.Email));
    }

    [Fact]
    public void AHardBounceMakesTheChannelUnreachableUntilALaterDelivery()
    {
        var state = Apply(
            Consent(true, Channel.Email, T0),
            Of(CustomerEventType.MessageBounced, T0.AddDays(1), Channel.Email) with { HardBounce = true });
        Assert.False(state.CanContact(Channel.Email));
        Assert.Equal("hard bounce", state.Channel(Channel.Email).SuppressedReason);

        CustomerEvents.Apply(state, Of(CustomerEventType.MessageDelivered, T0.AddDays(2), Channel.Email));

        Assert.True(state.CanContact(Channel.Email));
    }

    [Fact]
    public void ASpamComplaintIsNotLiftedByConsent()
    {
        var state = Apply(Of(CustomerEventType.SpamComplaint, T0, Channel.Email), Consent(true, Channel.Email, T0.AddDays(1)));

        Assert.False(state.CanContact(Channel.Email));
    }

    [Fact]
    public void RecentSendsCountOverRollingWindows()
    {
        var state = Apply(
            Of(CustomerEventType.MessageSent, T0, Channel.Sms),
            Of(CustomerEventType.MessageSent, T0.AddDays(-2), Channel.Sms),
            Of(CustomerEventType.MessageSent, T0.AddDays(-10), Channel.Sms));

        Assert.Equal(1, state.SentInLast(Channel.Sms, TimeSpan.FromDays(1), T0));
        Assert.Equal(2, state.SentInLast(Channel.Sms, TimeSpan.FromDays(7), T0));
        Assert.Equal(3, state.Channel(Channel.Sms).Sent);
    }

    [Fact]
    public void EngagementIsCountedInTheCustomersLocalHourOfWeek()
    {
        var state = Apply(
            Of(CustomerEventType.TimeZoneSet, T0.AddDays(-1)) with { TimeZone = "Asia/Tokyo" },
            Of(CustomerEventType.SessionStarted, T0)); // Monday 09:00 UTC = Monday 18:00 in Tokyo

        Assert.Equal(1, state.Engagement(18));
        Assert.Equal(0, state.Engagement(9));
    }

    [Fact]
    public void ASubscriptionChangeSetsThePlanTrait()
    {
        var state = Apply(Of(CustomerEventType.SubscriptionChange, T0) with { FromPlan = "basic", ToPlan = "premium" });

        Assert.Equal("premium", state.Traits["plan"].Value.Text);
        Assert.Equal(1, state.Behaviour.SubscriptionChanges);
    }

    [Fact]
    public void MergeAddsCountersKeepsTheLatestTraitsAndRecordsTheAlias()
    {
        var known = Apply(
            Traits(T0, ("plan", TraitValue.Of("basic"))),
            Purchase(T0, 10),
            Of(CustomerEventType.SessionStarted, T0));
        var anonymous = Apply(
            Traits(T0.AddHours(1), ("plan", TraitValue.Of("premium")), ("region", TraitValue.Of("north"))),
            Of(CustomerEventType.SessionStarted, T0.AddMinutes(30)),
            Cart(CustomerEventType.AddToCart, T0.AddHours(2), "p9", 1, 15),
            Consent(true, Channel.Push, T0.AddHours(1)));

        CustomerEvents.Merge(known, anonymous, "visitor-1");

        Assert.Equal("premium", known.Traits["plan"].Value.Text);
        Assert.Equal("north", known.Traits["region"].Value.Text);
        Assert.Equal(2, known.Behaviour.Sessions);
        Assert.Equal(1, known.Behaviour.Purchases);
        Assert.Equal(2, known.SessionsInLast(7, T0));
        Assert.Equal(15, known.Cart.Value);
        Assert.True(known.CanContact(Channel.Push));
        Assert.Equal(["visitor-1"], known.Aliases);
        Assert.Equal(7, known.EventCount);
    }

    [Fact]
    public void AnEventSeenByTheVisitorIsADuplicateAfterTheMerge()
    {
        var seen = Of(CustomerEventType.PageView, T0, id: "seen-by-visitor");
        var known = new CustomerState();
        CustomerEvents.Merge(known, Apply(seen), "visitor-2");

        Assert.Equal(ApplyOutcome.Duplicate, CustomerEvents.Apply(known, seen));
    }
}
