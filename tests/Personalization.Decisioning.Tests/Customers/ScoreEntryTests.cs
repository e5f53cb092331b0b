using Personalization.Decisioning.Customers;
using static Personalization.Decisioning.Tests.Customers.Events;

namespace Personalization.Decisioning.Tests.Customers;

public sealed class ScoreEntryTests
{
    private static readonly CustomerState State = Apply(Of(CustomerEventType.SessionStarted, T0));

    [Fact]
    public void AFreshScoreOfTheActiveModelStands()
    {
        Assert.True(new ScoreEntry(0.4, "v1", T0, State.EventCount).IsCurrent(State, "v1", T0.AddHours(1)));
    }

    [Fact]
    public void AScoreOfAnotherModelVersionIsRecomputed()
    {
        Assert.False(new ScoreEntry(0.4, "v1", T0, State.EventCount).IsCurrent(State, "v2", T0));
    }

    [Fact]
    public void AScoreIsRecomputedAfterEnoughNewEvents()
    {
        var entry = new ScoreEntry(0.4, "v1", T0, State.EventCount - ScoreEntry.RescoreAfterEvents);

        Assert.False(entry.IsCurrent(State, "v1", T0));
    }

    [Fact]
    public void AScoreIsRecomputedOnceADayOld()
    {
        Assert.False(new ScoreEntry(0.4, "v1", T0, State.EventCount).IsCurrent(State, "v1", T0.AddDays(1)));
    }
}
