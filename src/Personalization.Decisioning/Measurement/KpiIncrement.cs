namespace Personalization.Decisioning.Measurement;

/// <summary>An amount to add to one counter (<paramref name="Slot"/>, see <see cref="KpiMetrics"/>) of one dimension's row on one UTC day.</summary>
public readonly record struct KpiIncrement(DateOnly Day, string Dimension, int Slot, double Amount);
