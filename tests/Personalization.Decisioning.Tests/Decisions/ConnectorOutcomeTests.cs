using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Measurement;
using Outcome = Personalization.Decisioning.Decisions.Outcome;

namespace Personalization.Decisioning.Tests.Decisions;

/// <summary>A connector's message events naming a decision join it as RecordOutcome does, once, and leave one touch each.</summary>
public sealed class ConnectorOutcomeTests
{
    private static (CapSimulation Customer, DecisionRecord Decision) ACampaignDecision()
    {
        var customer = new CapSimulation();
        var decisionId = customer.Campaign(1, respectCaps: true);
        return (customer, customer.State.Decisions.Single(d => d.DecisionId == decisionId));
    }

    private static CustomerEvent Message(CustomerEventType type, DecisionRecord decision, DateTime at, string? offerId = "") => new()
    {
        EventId = Guid.NewGuid().ToString("N"),
        CustomerId = "c",
        Type = type,
        Channel = decision.Channel,
        OccurredAt = at,
        DecisionId = decision.DecisionId,
        OfferId = offerId == "" ? decision.OfferId : offerId,
    };

    private static (List<Decisioning.Campaigns.CampaignConversion> Conversions, Touch? Touch, (DecisionRecord Decision, Outcome Outcome)? Joined) Track(CustomerState state, CustomerEvent e)
    {
        Assert.Equal(ApplyOutcome.Applied, CustomerEvents.Apply(state, e));
        return CustomerChanges.Applied(state, e);
    }

    [Fact]
    public void AnOpenedEventNamingTheDecisionJoinsItAndLeavesATouchOfItsCampaign()
    {
        var (customer, decision) = ACampaignDecision();

        var after = Track(customer.State, Message(CustomerEventType.MessageOpened, decision, customer.Now.AddHours(2)));

        Assert.Equal((decision, Outcome.Opened), after.Joined);
        Assert.True(decision.Has(Outcome.Opened));
        Assert.Equal(new Touch(customer.Now.AddHours(2), TouchKind.Opened, decision.Channel, "camp-1", null, decision.OfferId), after.Touch);
        Assert.Equal(1, customer.State.Channel(decision.Channel).Opened);
    }

    [Fact]
    public void ASecondOpenOfTheSameMessageJoinsNothingAndIsNoNewTouch()
    {
        var (customer, decision) = ACampaignDecision();
        Track(customer.State, Message(CustomerEventType.MessageOpened, decision, customer.Now.AddHours(2)));

        var again = Track(customer.State, Message(CustomerEventType.MessageOpened, decision, customer.Now.AddHours(3)));

        Assert.Null(again.Joined);
        Assert.Null(again.Touch);
        Assert.Single(customer.State.Touches!);
    }

    [Fact]
    public void AnEventWithoutAnOfferJoinsAOneActionDecision()
    {
        var (customer, decision) = ACampaignDecision();

        var after = Track(customer.State, Message(CustomerEventType.MessageClicked, decision, customer.Now.AddHours(1), offerId: null));

        Assert.Equal(Outcome.Clicked, after.Joined!.Value.Outcome);
    }

    [Fact]
    public void AnEventAfterTheOutcomeWindowJoinsNothing()
    {
        var (customer, decision) = ACampaignDecision();

        var after = Track(customer.State, Message(CustomerEventType.MessageClicked, decision, customer.Now.AddDays(15)));

        Assert.Null(after.Joined);
        Assert.False(decision.Has(Outcome.Clicked));
    }

    [Fact]
    public void ReplayingTheLoggedEventRebuildsTheJoinAndTheTouch()
    {
        var (customer, decision) = ACampaignDecision();
        var e = Message(CustomerEventType.MessageClicked, decision, customer.Now.AddHours(1));
        var replayed = ACampaignDecision();

        Track(customer.State, e);
        CustomerChanges.Replay(replayed.Customer.State, new EventApplied(e));

        Assert.True(replayed.Decision.Has(Outcome.Clicked));
        Assert.Equal(customer.State.Touches, replayed.Customer.State.Touches);
    }
}
