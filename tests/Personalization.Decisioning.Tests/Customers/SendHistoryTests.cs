using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using static Personalization.Decisioning.Tests.Customers.Events;

namespace Personalization.Decisioning.Tests.Customers;

public sealed class SendHistoryTests
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    [Fact]
    public void SendsOlderThanEightDaysBeforeTheNewestAreDropped()
    {
        var state = new CustomerState();

        for (var day = 0; day < 20; day++)
        {
            SendHistory.Add(state, Channel.Email, T0.AddDays(day));
        }

        Assert.Equal(9, state.Sends.Length); // days 11 to 19: 8 days before the newest, both ends kept
        Assert.Equal(7, SendHistory.Count(state, Channel.Email, Week, T0.AddDays(19)));
    }

    [Fact]
    public void TheHistoryStopsAtItsSafetyBoundDroppingTheOldest()
    {
        var state = new CustomerState();

        for (var i = 0; i < SendHistory.MaxKept + 44; i++)
        {
            SendHistory.Add(state, Channel.Push, T0.AddMinutes(i));
        }

        Assert.Equal(SendHistory.MaxKept, state.Sends.Length);
        Assert.Equal(SendMark.Of(Channel.Push, T0.AddMinutes(44)), state.Sends[0]);
    }

    [Fact]
    public void ASendLeavesTheWindowAtMostAMinuteLateNeverEarly()
    {
        var state = new CustomerState();
        var sent = T0.AddSeconds(30);
        SendHistory.Add(state, Channel.Sms, sent);

        Assert.Equal(1, SendHistory.Count(state, Channel.Sms, Week, sent + Week - TimeSpan.FromSeconds(1)));
        Assert.Equal(1, SendHistory.Count(state, Channel.Sms, Week, sent + Week + TimeSpan.FromSeconds(10)));
        Assert.Equal(0, SendHistory.Count(state, Channel.Sms, Week, sent + Week + TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void AMessageSentNamingARememberedOutboundActionOnAnotherChannelCounts()
    {
        var state = new CustomerState();
        SendHistory.Add(state, Channel.Email, T0);
        state.Decisions.Add(new DecisionRecord { DecisionId = "d1", OfferId = "o1", Channel = Channel.Email, Mode = DecisionMode.Outbound, DecidedAt = T0, SendAt = T0 });

        CustomerEvents.Apply(state, Sent(Channel.Sms, T0.AddHours(1)) with { DecisionId = "d1", OfferId = "o1" });
        CustomerEvents.Apply(state, Sent(Channel.Email, T0.AddHours(1)) with { DecisionId = "d1", OfferId = "o1" });

        Assert.Equal(2, SendHistory.Count(state, null, Week, T0.AddHours(2)));
    }

    [Fact]
    public void AStateStoredBeforeTheHistoryCountsItsOutboundDecisionsAndReportedSends()
    {
        var state = new CustomerState();
        state.Decisions.Add(new DecisionRecord { DecisionId = "d1", OfferId = "o1", Channel = Channel.Email, Mode = DecisionMode.Outbound, DecidedAt = T0.AddDays(-2), SendAt = T0.AddDays(-2) });
        state.Decisions.Add(new DecisionRecord { DecisionId = "d2", OfferId = "o1", Channel = Channel.Web, Mode = DecisionMode.Inbound, DecidedAt = T0.AddDays(-1), SendAt = T0.AddDays(-1) });
        state.Channel(Channel.Email).RecentSends.Add(T0.AddDays(-3));
        state.Channel(Channel.Sms).RecentSends.Add(T0.AddDays(-20));

        var before = SendHistory.Count(state, null, Week, T0);
        CustomerEvents.Apply(state, Sent(Channel.Push, T0));

        Assert.Equal(2, before);
        Assert.Equal([SendMark.Of(Channel.Email, T0.AddDays(-3)), SendMark.Of(Channel.Email, T0.AddDays(-2)), SendMark.Of(Channel.Push, T0)], state.Sends);
    }

    [Fact]
    public void AMergedVisitorsSendsCountForTheKnownCustomer()
    {
        var visitor = Apply(Sent(Channel.Email, T0.AddDays(-1)));
        var known = Apply(Sent(Channel.Email, T0.AddDays(-2)));

        CustomerEvents.Merge(known, visitor, "anon-1");

        Assert.Equal(2, SendHistory.Count(known, Channel.Email, Week, T0));
    }
}
