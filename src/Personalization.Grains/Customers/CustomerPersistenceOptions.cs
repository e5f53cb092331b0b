using System.ComponentModel.DataAnnotations;

namespace Personalization.Grains.Customers;

/// <summary>
/// When a customer grain writes its state (section <c>Customers</c>). Events that must never be
/// lost once acknowledged — purchases, consent, unsubscribes, spam complaints, hard bounces,
/// identify — are written before the call returns. Other events are written after
/// <see cref="WriteAfterEvents"/> of them or <see cref="WriteAfter"/>, whichever comes first, and
/// always when the grain deactivates; a crash can lose at most that much of them.
/// </summary>
public sealed class CustomerPersistenceOptions
{
    public const string Section = "Customers";

    /// <summary>Write after this many unsaved events.</summary>
    [Range(1, 100_000)]
    public int WriteAfterEvents { get; set; } = 20;

    /// <summary>Write this long after the first unsaved event.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan WriteAfter { get; set; } = TimeSpan.FromSeconds(5);
}
