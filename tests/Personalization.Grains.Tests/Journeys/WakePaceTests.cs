using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Personalization.Grains.Schedules;

namespace Personalization.Grains.Tests.Journeys;

public class WakePaceTests
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(20);

    private static WakePace.Window Of(int finished, TimeSpan each, int failed = 0, bool backlog = true) =>
        new(finished, failed, each * finished, backlog);

    [Fact]
    public void Slow_wakes_halve_the_limit_down_to_the_floor()
    {
        var limit = 1024;
        var seen = new List<int>();
        for (var i = 0; i < 11; i++)
        {
            limit = WakePace.Next(limit, 1024, Of(10, TimeSpan.FromSeconds(3)), Slow);
            seen.Add(limit);
        }

        Assert.Equal([512, 256, 128, 64, 32, 16, 8, 4, 2, 2, 2], seen);
    }

    [Fact]
    public void Failures_beyond_a_tenth_halve_the_limit_even_when_the_rest_were_fast()
    {
        Assert.Equal(50, WakePace.Next(100, 1024, Of(20, Fast, failed: 3), Slow));
        Assert.Equal(50, WakePace.Next(100, 1024, Of(1, Fast, failed: 1), Slow));

        // One customer failing each second among many answering in time: the store keeps up, the limit grows.
        Assert.Equal(112, WakePace.Next(100, 1024, Of(200, Fast, failed: 1), Slow));
    }

    [Fact]
    public void A_backlog_on_a_store_that_keeps_up_grows_by_an_eighth_up_to_the_bound()
    {
        Assert.Equal(3, WakePace.Next(2, 1024, Of(5, Fast), Slow));
        Assert.Equal(72, WakePace.Next(64, 1024, Of(5, Fast), Slow));
        Assert.Equal(1024, WakePace.Next(1000, 1024, Of(5, Fast), Slow));
        var limit = WakePace.Floor;
        var windows = 0;
        while (limit < 1024)
        {
            limit = WakePace.Next(limit, 1024, Of(5, Fast), Slow);
            windows++;
        }

        // From the floor to the bound within 15 s of good answers (one window each 250 ms).
        Assert.InRange(windows * WakePace.AdjustEvery.TotalSeconds, 1, 15);
    }

    [Fact]
    public void Without_a_backlog_the_limit_stays_and_a_lowered_bound_is_kept()
    {
        Assert.Equal(64, WakePace.Next(64, 1024, Of(5, Fast, backlog: false), Slow));
        Assert.Equal(16, WakePace.Next(64, 16, Of(5, Fast, backlog: false), Slow));
        Assert.Equal(1, WakePace.Next(4, 1, Of(5, Slow * 2), Slow));
    }

    [Fact]
    public void The_mean_decides_not_one_slow_wake()
    {
        // One wake of 3 s among 99 of 20 ms: a mean of ~50 ms, the store keeps up.
        var window = Enumerable.Range(0, 99).Aggregate(default(WakePace.Window), (w, _) => w.With(Fast, false, true)).With(TimeSpan.FromSeconds(3), false, true);
        Assert.Equal(100, window.Finished);
        Assert.True(window.Mean < Slow);
        Assert.Equal(112, WakePace.Next(100, 1024, window, Slow));
    }

    [Fact]
    public async Task The_pacer_admits_up_to_its_limit_then_queues_and_halves_after_a_slow_window()
    {
        var time = new FakeTimeProvider();
        var pacer = new WakePacer(Options.Create(new WakeScheduleOptions { SiloConcurrency = 1024 }), time, NullLogger<WakePacer>.Instance);
        Assert.Equal(WakePace.Start, pacer.Limit);
        for (var i = 0; i < WakePace.Start; i++)
        {
            Assert.True(pacer.EnterAsync().IsCompleted);
        }

        var waiting = Enumerable.Range(0, 40).Select(_ => pacer.EnterAsync()).ToList();
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        // A slow window: the limit halves to 32 and nobody waiting is let in while 63 still run.
        time.Advance(WakePace.AdjustEvery);
        pacer.Exit(TimeSpan.FromSeconds(10), failed: false);
        Assert.Equal(WakePace.Start / 2, pacer.Limit);
        Assert.Equal(1, pacer.Yields);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        // 31 more finish (inside the window: no adjustment): still 32 running, at the limit.
        for (var i = 0; i < 31; i++)
        {
            pacer.Exit(Fast, failed: false);
        }

        Assert.All(waiting, w => Assert.False(w.IsCompleted));

        // One more: a slot below the limit goes to the first waiter, in order.
        pacer.Exit(Fast, failed: false);
        await waiting[0].WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(waiting[1].IsCompleted);

        // A fast window with a backlog grows the limit by an eighth and lets as many more in.
        time.Advance(WakePace.AdjustEvery);
        pacer.Exit(Fast, failed: false);
        Assert.Equal(36, pacer.Limit);
        await Task.WhenAll(waiting.Take(6)).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.False(waiting[6].IsCompleted);
    }
}
