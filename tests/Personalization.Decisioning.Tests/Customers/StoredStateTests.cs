using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using static Personalization.Decisioning.Tests.Customers.Events;

namespace Personalization.Decisioning.Tests.Customers;

/// <summary>The customer state through the Orleans serializer the grain storage uses: new fields round-trip, an older layout still reads.</summary>
public sealed class StoredStateTests
{
    private static readonly Serializer Serializer = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(CustomerState).Assembly).AddAssembly(typeof(StoredStateTests).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    [Fact]
    public void TheSendHistoryRoundTrips()
    {
        var state = Apply(Sent(Channel.Email, T0), Sent(Channel.Sms, T0.AddMinutes(90)));

        var read = Serializer.Deserialize<CustomerState>(Serializer.SerializeToArray(state))!;

        Assert.Equal(state.Sends, read.Sends);
    }

    [Fact]
    public void AStateStoredBeforeTheSendHistoryReadsWithItsDecisionsAndTheirSendsCount()
    {
        var old = new StateBeforeSendHistory
        {
            EventCount = 3,
            Decisions = [new DecisionRecord { DecisionId = "d1", OfferId = "o1", Channel = Channel.Email, Mode = DecisionMode.Outbound, DecidedAt = T0.AddDays(-1), SendAt = T0.AddDays(-1) }],
        };

        var read = Serializer.Deserialize<CustomerState>(Serializer.SerializeToArray(old))!;

        Assert.Equal((3L, "d1"), (read.EventCount, Assert.Single(read.Decisions).DecisionId));
        Assert.Empty(read.Sends);
        Assert.Equal(1, SendHistory.Count(read, Channel.Email, TimeSpan.FromDays(7), T0));
    }

    [Fact]
    public void SparseChannelsRoundTripAndTheOldLayoutWithEveryChannelReadsAndCompacts()
    {
        var sparse = Apply(Consent(true, Channel.Email, T0), Sent(Channel.Sms, T0.AddHours(1)));

        var read = Serializer.Deserialize<CustomerState>(Serializer.SerializeToArray(sparse))!;

        Assert.Equal(CustomerState.ChannelCount, read.Channels.Length);
        Assert.Equal(new HashSet<Channel> { Channel.Email, Channel.Sms }, Enumerable.Range(0, read.Channels.Length).Where(c => read.Channels[c] is not null).Select(c => (Channel)c).ToHashSet());
        Assert.True(read.CanContact(Channel.Email));
        Assert.Equal(1, read.Peek(Channel.Sms).Sent);

        // The layout before: all eleven records stored.
        var full = Apply(Consent(true, Channel.Email, T0));
        for (var c = 0; c < full.Channels.Length; c++)
        {
            full.Channels[c] ??= new ChannelState();
        }

        var old = Serializer.Deserialize<CustomerState>(Serializer.SerializeToArray(full))!;
        old.Compact();

        Assert.Equal(1, old.Channels.Count(c => c is not null));
        Assert.True(old.CanContact(Channel.Email));
    }

    [Fact]
    public void TheHourOfWeekStoredAsIntsReadsIntoSmallIntegersAndTheNewLayoutRoundTrips()
    {
        var ints = new int[CustomerState.HoursPerWeek];
        ints[9] = 4;
        ints[20] = 70_000; // above a ushort: the week halves, the shape stays
        var old = new StateBeforeSmallHours { EventCount = 2, HourOfWeek = ints };

        var read = Serializer.Deserialize<CustomerState>(Serializer.SerializeToArray(old))!;

        Assert.Equal((4, 70_000), (read.Engagement(9), read.Engagement(20)));
        read.Compact();
        Assert.Null(read.HoursBefore);
        Assert.True(read.Engagement(20) > read.Engagement(9) * 1000);
        Assert.Equal(2, read.Engagement(9));
        read.Engage(9);

        var again = Serializer.Deserialize<CustomerState>(Serializer.SerializeToArray(read))!;

        Assert.Equal((3, read.Engagement(20)), (again.Engagement(9), again.Engagement(20)));
        Assert.Null(Apply(Traits(T0, ("plan", TraitValue.Of("gold")))).Hours);
    }

    [Fact]
    public void CustomersReadBackShareTheNamesTheirDecisionsRepeat()
    {
        CustomerState Stored()
        {
            var state = new CustomerState();
            state.Decisions.Add(new DecisionRecord
            {
                DecisionId = DecisionKey.NewId(1), OfferId = "offer-" + new string('x', 3), Arm = "champion", OfferModelVersion = "offer-2026-11-20", ChurnModelVersion = "churn-2026-11-20",
                Channel = Channel.Web, DecidedAt = T0, SendAt = T0,
            });
            var read = Serializer.Deserialize<CustomerState>(Serializer.SerializeToArray(state))!;
            read.Compact();
            return read;
        }

        var (a, b) = (Stored().Decisions[0], Stored().Decisions[0]);

        Assert.Same(a.OfferId, b.OfferId);
        Assert.Same(a.OfferModelVersion, b.OfferModelVersion);
        Assert.Same(a.ChurnModelVersion, b.ChurnModelVersion);
        Assert.Equal("offer-xxx", a.OfferId);
    }

    /// <summary>A stand-in for the stored layout before the hour-of-week histogram moved to small integers (field 8 held ints).</summary>
    [GenerateSerializer]
    public sealed class StateBeforeSmallHours
    {
        [Id(8)] public int[] HourOfWeek { get; set; } = [];

        [Id(13)] public long EventCount { get; set; }
    }

    /// <summary>A stand-in for the stored layout before field 20 (the send history): some of its fields, same ids.</summary>
    [GenerateSerializer]
    public sealed class StateBeforeSendHistory
    {
        [Id(13)] public long EventCount { get; set; }

        [Id(15)] public List<DecisionRecord> Decisions { get; set; } = [];
    }
}
