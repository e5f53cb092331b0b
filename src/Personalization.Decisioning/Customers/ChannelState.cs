using Orleans;

namespace Personalization.Decisioning.Customers;

/// <summary>Where a customer stands on one channel: consent, reachability, suppression, engagement, recent sends.</summary>
[GenerateSerializer]
public sealed class ChannelState
{
    /// <summary>The most recent sends kept for frequency caps over rolling windows.</summary>
    public const int RecentSendsKept = 32;

    /// <summary>
    /// What a channel nothing has happened on reads as (<see cref="CustomerState.Peek"/>): shared by
    /// every customer, so never changed (writers go through <see cref="CustomerState.Channel"/>).
    /// </summary>
    public static readonly ChannelState Unused = new();

    /// <summary>Whether nothing has happened on the channel: it reads exactly like <see cref="Unused"/>.</summary>
    public bool IsUnused =>
        Consent.Count == 0 && SuppressedReason is null && SuppressedAt == default && Sent == 0 && Delivered == 0 && Opened == 0
        && Clicked == 0 && Converted == 0 && Bounced == 0 && LastAt == default && RecentSends.Count == 0 && Reachable
        && ReachableChangedAt == default;

    /// <summary>Consent by purpose ("marketing", "service"…).</summary>
    [Id(0)] public Dictionary<string, ConsentEntry> Consent { get; set; } = [];

    /// <summary>Why the channel is suppressed ("unsubscribed", "spam complaint", "hard bounce"); null when it is not.</summary>
    [Id(1)] public string? SuppressedReason { get; set; }

    /// <summary>When the suppression began.</summary>
    [Id(2)] public DateTime SuppressedAt { get; set; }

    /// <summary>Messages sent on the channel.</summary>
    [Id(3)] public long Sent { get; set; }

    /// <summary>Messages delivered.</summary>
    [Id(4)] public long Delivered { get; set; }

    /// <summary>Messages opened.</summary>
    [Id(5)] public long Opened { get; set; }

    /// <summary>Messages clicked.</summary>
    [Id(6)] public long Clicked { get; set; }

    /// <summary>Conversions attributed to messages on the channel.</summary>
    [Id(7)] public long Converted { get; set; }

    /// <summary>Bounces, soft and hard.</summary>
    [Id(8)] public long Bounced { get; set; }

    /// <summary>The latest event time of any message event on the channel.</summary>
    [Id(9)] public DateTime LastAt { get; set; }

    /// <summary>Event times of the latest sends, newest last, at most <see cref="RecentSendsKept"/>.</summary>
    [Id(10)] public List<DateTime> RecentSends { get; set; } = [];

    /// <summary>False after a hard bounce, until a later delivery proves the address works.</summary>
    [Id(11)] public bool Reachable { get; set; } = true;

    /// <summary>When reachability last changed (so a late event cannot undo a newer one).</summary>
    [Id(12)] public DateTime ReachableChangedAt { get; set; }
}
