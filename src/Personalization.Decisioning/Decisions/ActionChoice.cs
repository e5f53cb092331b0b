using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Offers;

namespace Personalization.Decisioning.Decisions;

/// <summary>One recommended action with the reasons behind it, the placement it fills and its rendered content.</summary>
[Orleans.GenerateSerializer, Orleans.Immutable]
public sealed record ActionChoice(
    [property: Orleans.Id(0)] int Rank,
    [property: Orleans.Id(1)] Offer Offer,
    [property: Orleans.Id(2)] Channel Channel,
    [property: Orleans.Id(3)] DateTime SendAt,
    [property: Orleans.Id(4)] double Acceptance,
    [property: Orleans.Id(5)] double ExpectedValue,
    [property: Orleans.Id(6)] bool Explored,
    [property: Orleans.Id(7)] IReadOnlyList<string> Reasons,
    [property: Orleans.Id(8)] string Placement = "",
    [property: Orleans.Id(9)] string Content = "");
