using System.ComponentModel.DataAnnotations;

namespace Personalization.Grains.Customers;

/// <summary>
/// How customer grains persist (section <c>Customers</c>). Every change a caller is told of —
/// events, outcomes, campaign decisions — is in the silo's change log before the answer (group
/// commit); the whole state is snapshotted to grain storage <see cref="SnapshotAfter"/> after its
/// first unsnapshotted change and when the grain deactivates, so the log can be trimmed. Inbound
/// decisions answer from memory: they are logged without waiting and snapshotted with the rest.
/// </summary>
public sealed class CustomerPersistenceOptions
{
    public const string Section = "Customers";

    /// <summary>Snapshot this long after the first change since the last snapshot.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan SnapshotAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The most snapshots a silo writes at once. Background ones queue in the silo's pacer (their
    /// customers keep answering) and run fewer at once while the store is slow (<see cref="SnapshotYieldAt"/>).
    /// </summary>
    [Range(1, 10_000)]
    public int MaxConcurrentSnapshots { get; set; } = 64;

    /// <summary>
    /// Background snapshots give way (half as many at once, again every quarter second) while the
    /// change log's appends take longer than this: the log carries the answers, snapshots can wait.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan SnapshotYieldAt { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often each silo looks for logs of silos that are gone, to hand their changes to their customers.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan RecoverySweep { get; set; } = TimeSpan.FromSeconds(30);
}
