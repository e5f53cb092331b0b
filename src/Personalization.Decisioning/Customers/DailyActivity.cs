using Orleans;

namespace Personalization.Decisioning.Customers;

/// <summary>Activity on one UTC day of event time.</summary>
[GenerateSerializer]
public sealed class DailyActivity
{
    /// <summary>Days since 0001-01-01 (UTC).</summary>
    [Id(0)] public int Day { get; set; }

    /// <summary>Sessions started that day.</summary>
    [Id(1)] public int Sessions { get; set; }

    /// <summary>Page, screen and product views that day.</summary>
    [Id(2)] public int Views { get; set; }

    /// <summary>Purchases that day.</summary>
    [Id(3)] public int Purchases { get; set; }
}
