using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Outcome = Personalization.Decisioning.Decisions.Outcome;

namespace Personalization.Decisioning.Tests.Decisions;

/// <summary>Outcomes join to outbound and campaign decisions for the attribution window, whatever number of decisions follow.</summary>
public sealed class OutcomeWindowTests
{
    private static (CapSimulation Customer, string DecisionId, string OfferId) ACampaignDecision()
    {
        var customer = new CapSimulation();
        var decisionId = customer.Campaign(1, respectCaps: true);
        return (customer, decisionId, customer.State.Decisions.Single(d => d.DecisionId == decisionId).OfferId);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(13)]
    public void ACampaignDecisionsOutcomeJoinsDaysLaterAfterAThousandNewerInboundDecisions(int days)
    {
        var (customer, decisionId, offerId) = ACampaignDecision();
        customer.Wait(TimeSpan.FromDays(days) - TimeSpan.FromHours(1));
        customer.Inbound(1_000);
        customer.Wait(TimeSpan.FromHours(1));

        var (status, decision) = DecisionMemory.Record(customer.State, decisionId, offerId, Outcome.Clicked, 0, customer.Now);

        Assert.Equal(OutcomeStatus.Applied, status);
        Assert.Equal("camp-1", decision!.CampaignId);
    }

    [Fact]
    public void AnOutcomeAfterTheWindowIsAnUnknownDecisionEvenBeforeAnythingPrunedIt()
    {
        var (customer, decisionId, offerId) = ACampaignDecision();

        var status = DecisionMemory.Record(customer.State, decisionId, offerId, Outcome.Clicked, 0, customer.Now.AddDays(14).AddMinutes(1)).Status;

        Assert.Equal(OutcomeStatus.UnknownDecision, status);
    }

    [Fact]
    public void ADecisionOlderThanTheWindowIsForgottenByTheNextDecision()
    {
        var (customer, decisionId, _) = ACampaignDecision();
        customer.Wait(TimeSpan.FromDays(15));

        customer.Inbound(1);

        Assert.DoesNotContain(customer.State.Decisions, d => d.DecisionId == decisionId);
    }

    [Fact]
    public void InboundDecisionsAreKeptByCount()
    {
        var customer = new CapSimulation();

        customer.Inbound(100);

        Assert.Equal(CustomerState.InboundDecisionsKept, customer.State.Decisions.Count);
        Assert.Equal(OutcomeStatus.UnknownDecision, DecisionMemory.Record(customer.State, "in-1", "o0", Outcome.Shown, 0, customer.Now).Status);
    }

    [Fact]
    public void OutboundDecisionsBeyondTheSafetyBoundDropTheOldest()
    {
        var customer = new CapSimulation();

        for (var i = 0; i < CustomerState.OutboundDecisionsKept + 10; i++)
        {
            customer.Campaign(1, respectCaps: false);
            customer.Wait(TimeSpan.FromMinutes(30));
        }

        Assert.Equal(CustomerState.OutboundDecisionsKept, customer.State.Decisions.Count);
        Assert.Equal("camp-11-d", customer.State.Decisions[0].DecisionId);
    }

    [Property(MaxTest = 60)]
    public Property AnOutboundOutcomeJoinsWithinTheWindowAndNotAfter() =>
        Prop.ForAll(Gen.Choose(0, 1_000).ToArbitrary(), Gen.Choose(0, 20 * 24 * 60).ToArbitrary(), (inbound, minutes) =>
        {
            var customer = new CapSimulation();
            var result = customer.Outbound(1);
            var (decisionId, offerId) = ($"out-{customer.State.DecisionCount}", result.Actions[0].Offer.OfferId);
            customer.Wait(TimeSpan.FromMinutes(minutes / 2));
            customer.Inbound(inbound);
            customer.Wait(TimeSpan.FromMinutes(minutes - (minutes / 2)));

            var status = DecisionMemory.Record(customer.State, decisionId, offerId, Outcome.Converted, 20, customer.Now).Status;

            return status == (minutes <= 14 * 24 * 60 ? OutcomeStatus.Applied : OutcomeStatus.UnknownDecision);
        });
}
