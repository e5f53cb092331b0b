using Personalization.Decisioning.Customers;
using static Personalization.Decisioning.Tests.Customers.Events;

namespace Personalization.Decisioning.Tests.Customers;

/// <summary>Channel records exist only for channels something happened on; unused ones read as the shared empty record.</summary>
public sealed class SparseChannelsTests
{
    private static readonly Channel[] AllChannels = Enum.GetValues<Channel>();

    private static readonly CustomerEventType[] ChannelEvents =
    [
        CustomerEventType.ConsentGranted, CustomerEventType.ConsentWithdrawn, CustomerEventType.MessageSent, CustomerEventType.MessageDelivered,
        CustomerEventType.MessageOpened, CustomerEventType.MessageClicked, CustomerEventType.MessageConverted, CustomerEventType.MessageBounced,
        CustomerEventType.Unsubscribed, CustomerEventType.SpamComplaint, CustomerEventType.SessionStarted, CustomerEventType.PageView,
    ];

    [Fact]
    public void OnlyTheChannelsEventsTouchedHaveARecord()
    {
        var state = Apply(Consent(true, Channel.Email, T0), Sent(Channel.Sms, T0.AddHours(1)), Of(CustomerEventType.PageView, T0, Channel.Web));

        var kept = Enumerable.Range(0, state.Channels.Length).Where(c => state.Channels[c] is not null).Select(c => (Channel)c).ToList();

        Assert.Equal([Channel.Email, Channel.Sms], kept);
        Assert.True(state.CanContact(Channel.Email));
        Assert.False(state.CanContact(Channel.Push));
        Assert.Equal(1, state.Peek(Channel.Sms).Sent);
        Assert.Same(ChannelState.Unused, state.Peek(Channel.Push));
    }

    [Fact]
    public void NoEventOnAnyChannelChangesTheSharedUnusedRecord()
    {
        var state = new CustomerState();
        var at = T0;
        foreach (var channel in AllChannels)
        {
            foreach (var type in ChannelEvents)
            {
                at = at.AddMinutes(1);
                CustomerEvents.Apply(state, Of(type, at, channel) with { Purpose = "marketing", HardBounce = true });
                _ = state.CanContact(channel);
                _ = state.SentInLast(channel, TimeSpan.FromDays(1), at);
            }
        }

        var merged = new CustomerState();
        CustomerEvents.Merge(merged, state, "anon-1");

        Assert.True(ChannelState.Unused.IsUnused);
        Assert.Empty(ChannelState.Unused.Consent);
        Assert.Empty(ChannelState.Unused.RecentSends);
        Assert.Equal(state.Peek(Channel.Email).Sent, merged.Peek(Channel.Email).Sent);
    }

    [Fact]
    public void MergingSparseStatesKeepsEachSidesChannels()
    {
        var known = Apply(Consent(true, Channel.Email, T0));
        var visitor = Apply(Sent(Channel.Push, T0.AddHours(1)), Consent(true, Channel.Push, T0.AddHours(2)));

        CustomerEvents.Merge(known, visitor, "anon-1");

        Assert.True(known.CanContact(Channel.Email));
        Assert.True(known.CanContact(Channel.Push));
        Assert.Equal(1, known.Peek(Channel.Push).Sent);
        Assert.Null(known.Channels[(int)Channel.Sms]);
    }

    [Fact]
    public void CompactDropsTheEmptyRecordsOfTheOldLayoutAndReadsTheSame()
    {
        // The layout before: a record for every channel, used or not.
        var state = Apply(Consent(true, Channel.Email, T0), Sent(Channel.Sms, T0.AddHours(1)));
        for (var c = 0; c < state.Channels.Length; c++)
        {
            state.Channels[c] ??= new ChannelState();
        }

        var before = AllChannels.Select(c => (state.CanContact(c), state.Peek(c).Sent, state.Peek(c).Reachable)).ToList();

        state.Compact();

        Assert.Equal(2, state.Channels.Count(c => c is not null));
        Assert.Equal(before, AllChannels.Select(c => (state.CanContact(c), state.Peek(c).Sent, state.Peek(c).Reachable)).ToList());
    }

    [Fact]
    public void AChannelThatWasUsedIsKeptEvenWhenItsCountersAreZero()
    {
        // A withdrawal leaves a consent entry: the record is not empty and Compact keeps it.
        var state = Apply(Consent(false, Channel.Email, T0));

        state.Compact();

        Assert.NotNull(state.Channels[(int)Channel.Email]);
        Assert.False(state.CanContact(Channel.Email));
    }
}
