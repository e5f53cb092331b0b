using Orleans;
using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Campaigns;

/// <summary>What a campaign targets and how it may contact members. Validated by <see cref="CampaignRules"/>.</summary>
[GenerateSerializer]
public sealed record CampaignDefinition
{
    [Id(0)] public string CampaignId { get; init; } = "";

    [Id(1)] public string Name { get; init; } = "";

    /// <summary>The segment whose members are decided.</summary>
    [Id(2)] public string Segment { get; init; } = "";

    /// <summary>Candidate offers; each member gets the best eligible ones.</summary>
    [Id(3)] public IReadOnlyList<string> OfferIds { get; init; } = [];

    /// <summary>Allowed channels; empty means each offer's own outbound channels.</summary>
    [Id(4)] public IReadOnlyList<Channel> Channels { get; init; } = [];

    /// <summary>First local hour sends may go out (0..23).</summary>
    [Id(5)] public int WindowStartHour { get; init; }

    /// <summary>Local hour after the last allowed one (1..24; start &gt; end wraps past midnight).</summary>
    [Id(6)] public int WindowEndHour { get; init; } = 24;

    /// <summary>Most deliveries (distinct offers) one member gets from this campaign.</summary>
    [Id(7)] public int MaxPerCustomer { get; init; } = 1;

    /// <summary>Whether the customer's global daily and weekly caps apply.</summary>
    [Id(8)] public bool RespectGlobalCaps { get; init; } = true;

    /// <summary>Share of members held out as the control group (stable per campaign and customer).</summary>
    [Id(9)] public double HoldoutShare { get; init; }

    /// <summary>Higher runs first when campaigns compete.</summary>
    [Id(10)] public int Priority { get; init; }

    /// <summary>When to start; null means when started.</summary>
    [Id(11)] public DateTime? StartAt { get; init; }

    /// <summary>No sends after this; null means no end.</summary>
    [Id(12)] public DateTime? EndAt { get; init; }

    [Id(13)] public DateTime CreatedAt { get; init; }

    /// <summary>An experiment: two or more variants the non-holdout members are randomly split between; empty for none.</summary>
    [Id(14)] public IReadOnlyList<CampaignVariant> Variants { get; init; } = [];

    /// <summary>Least members per variant before the auto-winner may stop the experiment; 0 turns the auto-winner off.</summary>
    [Id(15)] public long AutoWinnerMinExposure { get; init; }

    /// <summary>Set by the campaign when the auto-winner stopped the experiment: the 0-based variant the remaining members get.</summary>
    [Id(16)] public int? Winner { get; init; }

    /// <summary>
    /// With the auto-winner: the share of members (after the holdout) the variants are sent to first; the rest
    /// is held until the winner (or the deadline) and then sent it. 0 sends every member a variant (no hold).
    /// See <see cref="CampaignHold"/>. Numbered from the measurement work's range (55–59) to keep clear of parallel additions.
    /// </summary>
    [Id(55)] public double TestShare { get; init; }

    /// <summary>With a test share: how long after the start the held members wait for a winner before they get the default.</summary>
    [Id(56)] public TimeSpan? DecideBy { get; init; }

    /// <summary>Set by the campaign on its release walk: the held members are decided now, with <see cref="Winner"/>.</summary>
    [Id(57)] public bool Releasing { get; init; }
}
