using Personalization.Contracts.Campaigns;
using Personalization.Decisioning.Campaigns;
using Personalization.Grains.Common;

namespace Personalization.Grains.Campaigns;

/// <summary>A campaign: definition, lifecycle, fan-out cursors and counters, saved together each round.</summary>
[GenerateSerializer]
public sealed class CampaignGrainState
{
    [Id(0)] public CampaignDefinition? Definition { get; set; }

    [Id(1)] public CampaignState State { get; set; }

    [Id(2)] public CampaignProgress Progress { get; set; } = new();

    [Id(3)] public ShardCursors Cursors { get; set; } = new();

    /// <summary>The segment registry version membership is checked against (taken at start).</summary>
    [Id(4)] public long SegmentVersion { get; set; }

    /// <summary>When it started or is scheduled to start.</summary>
    [Id(5)] public DateTime? StartAt { get; set; }

    [Id(6)] public DateTime? CompletedAt { get; set; }
}
