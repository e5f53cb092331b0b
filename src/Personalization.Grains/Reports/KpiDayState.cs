namespace Personalization.Grains.Reports;

/// <summary>A day's stored counters by dimension key.</summary>
[GenerateSerializer]
public sealed class KpiDayState
{
    [Id(0)] public Dictionary<string, double[]> Rows { get; set; } = new(StringComparer.Ordinal);
}
