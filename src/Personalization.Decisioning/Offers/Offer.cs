using Orleans;
using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Offers;

/// <summary>An offer or message decisions choose from; its attributes are features of the offer model.</summary>
[GenerateSerializer, Immutable]
public sealed record Offer
{
    [Id(0)] public required string OfferId { get; init; }

    [Id(1)] public string Name { get; init; } = "";

    [Id(2)] public OfferType Type { get; init; }

    /// <summary>Value to the business when accepted.</summary>
    [Id(3)] public double Value { get; init; }

    /// <summary>Reward to the customer.</summary>
    [Id(4)] public double Reward { get; init; }

    /// <summary>Minimum spend to earn the reward.</summary>
    [Id(5)] public double Difficulty { get; init; }

    /// <summary>Days the offer stays open once given.</summary>
    [Id(6)] public int DurationDays { get; init; }

    /// <summary>Channels it may go through.</summary>
    [Id(7)] public IReadOnlyList<Channel> Channels { get; init; } = [];

    /// <summary>Multiplies priority; 1 is neutral.</summary>
    [Id(8)] public double BusinessWeight { get; init; } = 1;

    /// <summary>Tags, e.g. "retention".</summary>
    [Id(9)] public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Active or archived.</summary>
    [Id(10)] public OfferStatus Status { get; init; } = OfferStatus.Active;

    /// <summary>First moment it can be chosen; null means always.</summary>
    [Id(11)] public DateTime? ValidFrom { get; init; }

    /// <summary>Last moment it can be chosen; null means no end.</summary>
    [Id(12)] public DateTime? ValidUntil { get; init; }

    /// <summary>Who it is for, in the segment rule language; empty means everyone.</summary>
    [Id(13)] public string EligibilityRule { get; init; } = "";

    /// <summary>How often it may be given.</summary>
    [Id(14)] public OfferCaps Caps { get; init; } = new();

    /// <summary>The message text or template key.</summary>
    [Id(15)] public string Content { get; init; } = "";

    /// <summary>When it was created.</summary>
    [Id(16)] public DateTime CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    [Id(17)] public DateTime UpdatedAt { get; init; }

    /// <summary>The placements it may fill (e.g. "home-hero"); empty means any.</summary>
    [Id(18)] public IReadOnlyList<string> Placements { get; init; } = [];

    /// <summary>Its content as Liquid templates per channel and placement.</summary>
    [Id(19)] public IReadOnlyList<OfferContent> Contents { get; init; } = [];

    /// <summary>The consent purpose its sends need: <c>service</c> for a service message, else <c>marketing</c>.</summary>
    public string ConsentPurpose => Type == OfferType.Service ? "service" : CustomerEvents.DefaultPurpose;

    /// <summary>Whether it may fill <paramref name="placement"/>: it names no placement, or names this one.</summary>
    public bool Fits(string placement) => Placements.Count == 0 || Placements.Contains(placement, StringComparer.Ordinal);

    /// <summary>Whether it can be chosen at <paramref name="now"/>: active and within its validity window.</summary>
    public bool IsLive(DateTime now) => Status == OfferStatus.Active && (ValidFrom is null || now >= ValidFrom) && (ValidUntil is null || now <= ValidUntil);
}
