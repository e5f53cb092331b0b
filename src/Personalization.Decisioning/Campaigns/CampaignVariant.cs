using Orleans;
using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Campaigns;

/// <summary>
/// One arm of an experiment inside a campaign: what it changes (offers, channels, send window, the
/// content or subject line the connector sends) and its share of the randomised members.
/// Unset overrides keep the campaign's own settings.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CampaignVariant
{
    /// <summary>Its name, unique in the campaign; deliveries carry it so the connector sends its content.</summary>
    [Id(0)] public string Name { get; init; } = "";

    /// <summary>Share of the randomised members (all variants' weights sum to 1).</summary>
    [Id(1)] public double Weight { get; init; }

    /// <summary>Offers this variant may send, a subset of the campaign's; empty keeps the campaign's.</summary>
    [Id(2)] public IReadOnlyList<string> OfferIds { get; init; } = [];

    /// <summary>Channels this variant may use; empty keeps the campaign's.</summary>
    [Id(3)] public IReadOnlyList<Channel> Channels { get; init; } = [];

    /// <summary>The content or subject line to send (free text or a template key for the connector); may be empty.</summary>
    [Id(4)] public string Content { get; init; } = "";

    /// <summary>Send timing: first local hour of this variant's window; null keeps the campaign's.</summary>
    [Id(5)] public int? WindowStartHour { get; init; }

    /// <summary>Send timing: hour after the last allowed one; null keeps the campaign's.</summary>
    [Id(6)] public int? WindowEndHour { get; init; }
}
