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
}
