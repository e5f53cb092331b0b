using System.ComponentModel.DataAnnotations;

namespace Personalization.Grains.Schedules;

/// <summary>The wake-up schedule's shape (settings section <c>Wakes</c>; README: Journeys, durable time).</summary>
public sealed class WakeScheduleOptions
{
    /// <summary>The settings section.</summary>
    public const string Section = "Wakes";

    /// <summary>Shards of the schedule: each a grain that reads and wakes its customers; spread over the silos.</summary>
    [Range(1, 4096)]
    public int Shards { get; set; } = 16;

    /// <summary>The due-time bucket width: a shard reads storage about once per width, and holds one width ahead in memory.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Bucket { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often a shard looks for customers that came due (the lateness a wake may add).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:10")]
    public TimeSpan Tick { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Customers a shard wakes at once at most.</summary>
    [Range(1, 4096)]
    public int Concurrency { get; set; } = 64;

    /// <summary>Customers a silo's shards wake at once at most; below it the silo adapts how many to what its store answers (<see cref="WakePacer"/>).</summary>
    [Range(1, 65536)]
    public int SiloConcurrency { get; set; } = 1024;

    /// <summary>
    /// Wakes slower than this on average (or any failing) halve the silo's wakes at once: the store is falling behind.
    /// Well below the calls' timeouts (a grain call's 30 s, a storage call's 15 s), so the limit is lowered before
    /// calls time out and are all made again; not the lateness target — a store that answers in 2 s is slow, but
    /// fewer wakes at once would not wake anyone sooner.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan SlowWake { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Entries per stored batch at most (a group beyond it is split: one write each); 1,000 ids of up to 54 bytes fit an Azure table property.</summary>
    [Range(1, 1000)]
    public int MaxBatch { get; set; } = 1000;
}
