namespace Personalization.Contracts.Customers;

/// <summary>
/// The retention sweep (one per cluster, key <see cref="DefaultKey"/>): walks the customer index shard by
/// shard at a bounded rate and has every expired customer erase itself; its cursor survives restarts.
/// </summary>
public interface IRetentionSweepGrain : IGrainWithStringKey
{
    /// <summary>The one sweep's key.</summary>
    const string DefaultKey = "retention";

    /// <summary>Makes sure the sweep runs (each silo calls it when it starts; idempotent).</summary>
    Task Start();

    /// <summary>Where the sweep stands: passes finished, customers looked at and erased.</summary>
    Task<RetentionProgress> Progress();
}
