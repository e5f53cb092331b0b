namespace Personalization.Contracts.Customers;

/// <summary>Where the retention sweep stands: the pass under way (its shard and cursor), passes finished, customers looked at and erased, ever.</summary>
[GenerateSerializer]
public sealed class RetentionProgress
{
    /// <summary>The index shard the pass is at (<see cref="ICustomerIndexGrain.Shards"/>: between passes).</summary>
    [Id(0)] public int Shard { get; set; } = ICustomerIndexGrain.Shards;

    /// <summary>The last customer id looked at in that shard.</summary>
    [Id(1)] public string? After { get; set; }

    /// <summary>When the pass under way (or the last one) started.</summary>
    [Id(2)] public DateTime? PassStartedAt { get; set; }

    /// <summary>Passes finished.</summary>
    [Id(3)] public long Passes { get; set; }

    /// <summary>Customers looked at, ever.</summary>
    [Id(4)] public long Checked { get; set; }

    /// <summary>Customers erased as expired, ever (with the visitors merged into them).</summary>
    [Id(5)] public long Erased { get; set; }
}
