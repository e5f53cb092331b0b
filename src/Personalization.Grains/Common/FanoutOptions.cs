using System.ComponentModel.DataAnnotations;

namespace Personalization.Grains.Common;

/// <summary>
/// How campaigns and segment backfills walk the sharded id sets (section <c>Fanout</c>). A round reads
/// the next <see cref="PageSize"/> ids of every unfinished shard (64 shards), visits them with at most
/// <see cref="MaxInFlight"/> calls outstanding, then saves its cursors.
/// </summary>
public sealed class FanoutOptions
{
    public const string Section = "Fanout";

    /// <summary>Ids per shard per round; a round is at most 64 × this many customers.</summary>
    [Range(1, 10_000)]
    public int PageSize { get; set; } = 64;

    /// <summary>Customer calls outstanding at once per campaign or backfill.</summary>
    [Range(1, 100_000)]
    public int MaxInFlight { get; set; } = 1024;
}
