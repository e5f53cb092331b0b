using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Tests.Customers;

public sealed class PersonalizationConsentTests
{
    private static readonly DateTime T0 = Events.T0;

    private static CustomerEvent Withdraw(DateTime at) => Events.Consent(false, Channel.Web, at, PersonalizationConsent.Purpose);

    [Fact]
    public void AWithdrawalClearsTheProfileButKeepsConsentAndSuppression()
    {
        var state = Events.Apply(
            Events.Consent(true, Channel.Email, T0),
            Events.Traits(T0, ("plan", TraitValue.Of("gold"))),
            Events.Of(CustomerEventType.SessionStarted, T0, Channel.Web),
            Events.Cart(CustomerEventType.AddToCart, T0, "p1", 1, 30),
            Events.Purchase(T0, 30),
            Events.Of(CustomerEventType.SpamComplaint, T0, Channel.Sms));

        CustomerEvents.Apply(state, Withdraw(T0.AddMinutes(1)));

        Assert.True(PersonalizationConsent.IsWithdrawn(state));
        Assert.Empty(state.Traits);
        Assert.Equal((0, 0, 0.0), (state.Behaviour.Sessions, state.Behaviour.Purchases, state.Behaviour.Revenue));
        Assert.Empty(state.Cart.Lines);
        Assert.Null(state.Interests);
        Assert.Null(state.Hours);
        Assert.True(state.CanContact(Channel.Email));
        Assert.Equal("spam complaint", state.Peek(Channel.Sms).SuppressedReason);
    }

    [Fact]
    public void AfterAWithdrawalBehaviourIsAcknowledgedButNotKeptWhileConsentAndSuppressionStillApply()
    {
        var state = Events.Apply(Events.Consent(true, Channel.Email, T0), Withdraw(T0));

        var view = CustomerEvents.Apply(state, Events.Of(CustomerEventType.PageView, T0.AddMinutes(1), Channel.Web));
        CustomerEvents.Apply(state, Events.Traits(T0.AddMinutes(2), ("plan", TraitValue.Of("gold"))));
        CustomerEvents.Apply(state, Events.Of(CustomerEventType.Unsubscribed, T0.AddMinutes(3), Channel.Email));
        CustomerEvents.Apply(state, Events.Of(CustomerEventType.MessageOpened, T0.AddMinutes(4), Channel.Email));

        Assert.Equal(ApplyOutcome.Applied, view);
        Assert.Equal(0, state.Behaviour.Views);
        Assert.Empty(state.Traits);
        Assert.Equal("unsubscribed", state.Peek(Channel.Email).SuppressedReason);
        Assert.Null(state.Hours); // engagement hours are a profile of habits too
        Assert.Equal(1, state.Peek(Channel.Email).Opened);
        Assert.Equal(6, state.EventCount);
    }

    [Fact]
    public void TheLatestAnswerOnAnyChannelWinsAndGrantingAgainBuildsANewProfile()
    {
        var state = Events.Apply(Withdraw(T0), Events.Consent(true, Channel.App, T0.AddMinutes(1), PersonalizationConsent.Purpose));

        CustomerEvents.Apply(state, Events.Of(CustomerEventType.PageView, T0.AddMinutes(2), Channel.Web));

        Assert.False(PersonalizationConsent.IsWithdrawn(state));
        Assert.Equal(1, state.Behaviour.Views);
    }

    [Fact]
    public void ACustomerWhoNeverAnsweredIsPersonalised()
    {
        var state = Events.Apply(Events.Consent(false, Channel.Email, T0));

        Assert.False(PersonalizationConsent.IsWithdrawn(state));
    }

    [Fact]
    public void AVisitorsBrowsingMergedIntoACustomerWhoWithdrewBuildsNoProfile()
    {
        var customer = Events.Apply(Withdraw(T0));
        var visitor = Events.Apply(Events.Of(CustomerEventType.PageView, T0, Channel.Web), Events.Traits(T0, ("plan", TraitValue.Of("gold"))));

        CustomerEvents.Merge(customer, visitor, "v1");

        Assert.Equal(0, customer.Behaviour.Views);
        Assert.Empty(customer.Traits);
        Assert.Contains("v1", customer.Aliases);
    }
}
