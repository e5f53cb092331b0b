namespace Personalization.Contracts.Reports;

/// <summary>An amount added to one counter slot (<see cref="Decisioning.Measurement.KpiMetrics"/>) of one dimension on one day.</summary>
[GenerateSerializer, Immutable]
public sealed record KpiTotal(
    [property: Id(0)] string Dimension,
    [property: Id(1)] int Slot,
    [property: Id(2)] double Amount);
