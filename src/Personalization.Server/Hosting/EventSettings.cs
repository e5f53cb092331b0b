using System.ComponentModel.DataAnnotations;
using Personalization.Decisioning.Customers;

namespace Personalization.Server.Hosting;

/// <summary>What the event API accepts (section <c>Events</c>).</summary>
public sealed class EventSettings
{
    public const string Section = "Events";

    /// <summary>Most events in one TrackBatch call.</summary>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>How far ahead of the server clock an event time may be.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most free-form properties on one event.</summary>
    [Range(0, 1000)]
    public int MaxProperties { get; set; } = 50;

    /// <summary>Most traits set by one event.</summary>
    [Range(1, 1000)]
    public int MaxTraits { get; set; } = 100;

    /// <summary>The limits every event is validated against.</summary>
    public EventLimits Limits => new() { MaxFutureSkew = MaxFutureSkew, MaxProperties = MaxProperties, MaxTraits = MaxTraits };
}
