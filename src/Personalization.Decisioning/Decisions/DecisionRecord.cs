using Orleans;
using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Decisions;

/// <summary>A decision action the customer received, kept so its outcome can be joined back (and per-offer caps counted).</summary>
[GenerateSerializer]
public sealed class DecisionRecord
{
    /// <summary>The decision id when it is not in the service's own form (campaign ids, records stored before the compact form); null otherwise.</summary>
    [Id(0)] public string? IdText { get; set; }

    /// <summary>The decision number of an id in the service's form (see <see cref="DecisionKey"/>).</summary>
    [Id(14)] public long IdNumber { get; set; }

    /// <summary>The random part of an id in the service's form.</summary>
    [Id(15)] public Guid IdRandom { get; set; }

    /// <summary>The decision id (built from its parts when read: compare with <see cref="Is(in DecisionKey)"/> instead).</summary>
    public string DecisionId
    {
        get => Key.ToString();
        set => Key = DecisionKey.Of(value);
    }

    /// <summary>The decision id as its parts.</summary>
    public DecisionKey Key
    {
        get => new(IdNumber, IdRandom, IdText);
        set => (IdNumber, IdRandom, IdText) = (value.Number, value.Random, value.Text);
    }

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

    /// <summary>The journey whose send step made this decision; null otherwise (reports' journey rows, responder lists).</summary>
    [Id(16)] public string? JourneyId { get; set; }

    /// <summary>The send step of <see cref="JourneyId"/> that made this decision; null otherwise.</summary>
    [Id(17)] public string? JourneyStep { get; set; }

    /// <summary>Whether an outcome was already recorded.</summary>
    /// <summary>Whether this action belongs to the decision <paramref name="key"/>.</summary>
    public bool Is(in DecisionKey key) => IdText is null
        ? key.Text is null && IdNumber == key.Number && IdRandom == key.Random
        : key.Text is { } text ? IdText == text : DecisionKey.Of(IdText) == key;

    public bool Has(Outcome outcome) => (Outcomes & (1 << (int)outcome)) != 0;

    /// <summary>The latest outcome, for display.</summary>
    public Outcome Latest => Enum.GetValues<Outcome>().Where(Has).DefaultIfEmpty(Outcome.Unspecified).Max();
}
