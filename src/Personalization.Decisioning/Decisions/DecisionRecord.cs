using Orleans;
using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Decisions;

/// <summary>A decision action the customer received, kept so its outcome can be joined back (and per-offer caps counted).</summary>
[GenerateSerializer]
public sealed class DecisionRecord
{
    [Id(0)] public string DecisionId { get; set; } = "";

    [Id(1)] public string OfferId { get; set; } = "";

    [Id(2)] public Channel Channel { get; set; }

    [Id(3)] public DateTime DecidedAt { get; set; }

    /// <summary>When the action goes out (now for inbound).</summary>
    [Id(4)] public DateTime SendAt { get; set; }

    [Id(5)] public DecisionMode Mode { get; set; }

    /// <summary>Outcomes reported so far, as bit flags of <see cref="Outcome"/> numbers.</summary>
    [Id(6)] public int Outcomes { get; set; }

    [Id(7)] public bool Explored { get; set; }

    [Id(8)] public string Arm { get; set; } = "";

    [Id(9)] public double Acceptance { get; set; }

    [Id(10)] public string? OfferModelVersion { get; set; }

    /// <summary>Value of a conversion, when one was reported.</summary>
    [Id(11)] public double ConvertedValue { get; set; }

    /// <summary>The campaign that made this decision, when it came from a campaign fan-out.</summary>
    [Id(12)] public string? CampaignId { get; set; }

    /// <summary>The churn model version that scored the customer for this decision (for per-arm results).</summary>
    [Id(13)] public string? ChurnModelVersion { get; set; }

    /// <summary>Whether an outcome was already recorded.</summary>
    public bool Has(Outcome outcome) => (Outcomes & (1 << (int)outcome)) != 0;

    /// <summary>The latest outcome, for display.</summary>
    public Outcome Latest => Enum.GetValues<Outcome>().Where(Has).DefaultIfEmpty(Outcome.Unspecified).Max();
}
