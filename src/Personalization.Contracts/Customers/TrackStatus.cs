namespace Personalization.Contracts.Customers;

/// <summary>What a customer grain did with events.</summary>
public enum TrackStatus
{
    /// <summary>Applied (possibly with some duplicates skipped).</summary>
    Applied,

    /// <summary>Every event was a recent duplicate; nothing changed.</summary>
    Duplicate,

    /// <summary>This anonymous visitor merged into a known customer: send the events to <see cref="TrackResult.CustomerId"/>.</summary>
    Forward,
}
