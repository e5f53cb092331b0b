using Personalization.Grains.Common;

namespace Personalization.Grains.Segments;

/// <summary>A segment's backfill: which generation, against which registry version, and how far it has come.</summary>
[GenerateSerializer]
public sealed class SegmentGrainState
{
    [Id(0)] public long Generation { get; set; }

    [Id(1)] public long RegistryVersion { get; set; }

    [Id(2)] public ShardCursors Cursors { get; set; } = new();

    /// <summary>Known customers when the backfill started (for progress).</summary>
    [Id(3)] public long Total { get; set; }

    [Id(4)] public bool Running { get; set; }
}
