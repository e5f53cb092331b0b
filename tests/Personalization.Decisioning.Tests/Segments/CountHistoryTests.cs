using Personalization.Decisioning.Segments;

namespace Personalization.Decisioning.Tests.Segments;

/// <summary>A segment's member counts over time as a bounded ring: a slot per period, the oldest overwritten, stale slots ignored.</summary>
public sealed class CountHistoryTests
{
    private static readonly TimeSpan Every = TimeSpan.FromMinutes(15);
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SamplesOfOnePeriodShareASlotAndTheRingWrapsAfterItsCapacity()
    {
        Assert.Equal(CountHistory.Slot(Start, Every, 4), CountHistory.Slot(Start.AddMinutes(14), Every, 4));
        Assert.NotEqual(CountHistory.Slot(Start, Every, 4), CountHistory.Slot(Start.AddMinutes(15), Every, 4));
        Assert.Equal(CountHistory.Slot(Start, Every, 4), CountHistory.Slot(Start.AddHours(1), Every, 4));
        Assert.All(Enumerable.Range(0, 100).Select(i => CountHistory.Slot(Start.AddMinutes(7 * i), Every, 4)), slot => Assert.InRange(slot, 0, 3));
    }

    [Fact]
    public void ReadingKeepsTheLastCapacityPeriodsOldestFirst()
    {
        // Written as a ring of 4 would hold them after the ring turned: slots reused, one slot still from the turn before.
        var stored = new[]
        {
            new CountSample(Start.AddMinutes(60), 14),
            new CountSample(Start.AddMinutes(15), 11),
            new CountSample(Start.AddMinutes(45), 13),
            new CountSample(Start.AddMinutes(30), 12),
            new CountSample(Start.AddMinutes(-45), 5),
        };

        var recent = CountHistory.Recent(stored, Start.AddMinutes(61), Every, 4);

        Assert.Equal([11L, 12L, 13L, 14L], recent.Select(s => s.MemberCount));
        Assert.Empty(CountHistory.Recent(stored, Start.AddDays(1), Every, 4));
    }
}
