using Personalization.Grains.Customers;

namespace Personalization.Grains.Tests;

public class SnapshotPaceTests
{
    private static readonly TimeSpan YieldAt = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(5);

    [Fact]
    public void Slow_appends_halve_the_snapshots_in_flight_down_to_one()
    {
        var limit = 64;
        var seen = new List<int>();
        for (var i = 0; i < 8; i++)
        {
            limit = SnapshotPace.Next(limit, 64, TimeSpan.FromMilliseconds(400), Fast, backlog: true, YieldAt);
            seen.Add(limit);
        }

        Assert.Equal([32, 16, 8, 4, 2, 1, 1, 1], seen);
    }

    [Fact]
    public void Slow_snapshots_yield_even_when_the_log_is_idle()
    {
        Assert.Equal(5, SnapshotPace.Next(10, 64, TimeSpan.Zero, SnapshotPace.SlowSnapshot + TimeSpan.FromMilliseconds(1), backlog: true, YieldAt));
    }

    [Fact]
    public void A_backlog_on_a_store_that_keeps_up_grows_one_at_a_time_up_to_the_bound()
    {
        var limit = 1;
        for (var i = 0; i < 100; i++)
        {
            var next = SnapshotPace.Next(limit, 64, Fast, Fast, backlog: true, YieldAt);
            Assert.True(next == limit + 1 || next == 64);
            limit = next;
        }

        Assert.Equal(64, limit);
    }

    [Fact]
    public void Without_a_backlog_the_limit_stays_where_it_is()
    {
        Assert.Equal(12, SnapshotPace.Next(12, 64, Fast, Fast, backlog: false, YieldAt));
        Assert.Equal(16, SnapshotPace.Next(64, 16, Fast, Fast, backlog: false, YieldAt));
    }

    [Fact]
    public void The_threshold_is_exclusive()
    {
        Assert.Equal(11, SnapshotPace.Next(10, 64, YieldAt, SnapshotPace.SlowSnapshot, backlog: true, YieldAt));
    }
}
