using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Decisions;

/// <summary>A validated request for the next best actions.</summary>
/// <param name="Mode">Inbound (now, on the asking channel) or outbound (choose channel and time).</param>
/// <param name="Channels">The asking channel (inbound) or the allowed ones (outbound; empty means any).</param>
/// <param name="MaxActions">How many ranked actions to return, 1..10.</param>
/// <param name="OfferIds">Only these offers; empty means every live offer.</param>
[Orleans.GenerateSerializer, Orleans.Immutable]
public sealed record DecisionRequest(
    [property: Orleans.Id(0)] DecisionMode Mode,
    [property: Orleans.Id(1)] IReadOnlyList<Channel> Channels,
    [property: Orleans.Id(2)] int MaxActions,
    [property: Orleans.Id(3)] IReadOnlyList<string> OfferIds);
