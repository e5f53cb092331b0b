namespace Personalization.Grains.Customers;

/// <summary>The ids of one index shard.</summary>
[GenerateSerializer]
public sealed class CustomerIndexState
{
    [Id(0)] public HashSet<string> Ids { get; set; } = new(StringComparer.Ordinal);
}
