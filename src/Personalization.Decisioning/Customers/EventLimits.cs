namespace Personalization.Decisioning.Customers;

/// <summary>What an event may carry.</summary>
public sealed record EventLimits
{
    /// <summary>How far in the future an event time may be (clock skew between sender and server).</summary>
    public TimeSpan MaxFutureSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The earliest event time accepted.</summary>
    public DateTime Earliest { get; init; } = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Most free-form properties on one event.</summary>
    public int MaxProperties { get; init; } = 50;

    /// <summary>Most traits set by one event.</summary>
    public int MaxTraits { get; init; } = 100;

    /// <summary>Longest id (event, customer, anonymous, product…).</summary>
    public int MaxIdLength { get; init; } = Ids.MaxLength;

    /// <summary>Longest text value.</summary>
    public int MaxTextLength { get; init; } = 1024;

    /// <summary>Most lines in one order.</summary>
    public int MaxItems { get; init; } = 200;
}
