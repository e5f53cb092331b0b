using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Tests.Customers;

public sealed class RetentionTests
{
    private static readonly DateTime Now = Events.T0;

    private static CustomerState LastSeen(DateTime at) => Events.Apply(Events.Of(CustomerEventType.PageView, at, Channel.Web));

    [Fact]
    public void AKnownCustomerExpiresAfterTheMonthsSetAndAVisitorAfterTheDays()
    {
        var fourMonths = LastSeen(Now.AddMonths(-4));
        var twoDays = LastSeen(Now.AddDays(-2));

        Assert.True(Retention.IsExpired(fourMonths, anonymous: false, Now, inactiveMonths: 3, visitorDays: 0));
        Assert.False(Retention.IsExpired(twoDays, anonymous: false, Now, inactiveMonths: 3, visitorDays: 1));
        Assert.True(Retention.IsExpired(twoDays, anonymous: true, Now, inactiveMonths: 3, visitorDays: 1));
    }

    [Fact]
    public void NothingExpiresWhenRetentionIsOffOrNothingIsKnown()
    {
        var old = LastSeen(Now.AddYears(-5));

        Assert.False(Retention.IsExpired(old, anonymous: false, Now, inactiveMonths: 0, visitorDays: 0));
        Assert.False(Retention.IsExpired(old, anonymous: true, Now, inactiveMonths: 0, visitorDays: 0));
        Assert.False(Retention.IsExpired(new CustomerState(), anonymous: false, Now, inactiveMonths: 1, visitorDays: 1));
        Assert.False(Retention.IsExpired(new CustomerState { MergedInto = "c-1" }, anonymous: true, Now, inactiveMonths: 1, visitorDays: 1));
    }
}
