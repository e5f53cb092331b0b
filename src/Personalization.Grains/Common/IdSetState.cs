namespace Personalization.Grains.Common;

/// <summary>A set of customer ids: one shard of the customer index or of a segment's membership.</summary>
[GenerateSerializer]
public sealed class IdSetState
{
    [Id(0)] public HashSet<string> Ids { get; set; } = new(StringComparer.Ordinal);
}
