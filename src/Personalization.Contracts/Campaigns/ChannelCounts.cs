namespace Personalization.Contracts.Campaigns;

/// <summary>Deliveries and their results on one channel.</summary>
[GenerateSerializer]
public sealed class ChannelCounts
{
    [Id(0)] public long Queued { get; set; }

    [Id(1)] public long Delivered { get; set; }

    [Id(2)] public long Opened { get; set; }

    [Id(3)] public long Clicked { get; set; }

    [Id(4)] public long Converted { get; set; }
}
