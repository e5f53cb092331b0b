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

    /// <summary>A stand-in for the stored layout before field 20 (the send history): some of its fields, same ids.</summary>
    [GenerateSerializer]
    public sealed class StateBeforeSendHistory
    {
        [Id(13)] public long EventCount { get; set; }

        [Id(15)] public List<DecisionRecord> Decisions { get; set; } = [];
    }
}
