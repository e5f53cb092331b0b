using System.ComponentModel.DataAnnotations;

namespace Personalization.Grains.Customers;

/// <summary>How long profiles are kept (section <c>Retention</c>); 0 keeps them until they are erased by a call.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>Erase known customers with no event for this many months (0: never).</summary>
    [Range(0, 1200)]
    public int InactiveCustomerMonths { get; set; }

    /// <summary>Erase anonymous visitors (never identified) with no event for this many days (0: never).</summary>
    [Range(0, 36500)]
    public int AnonymousVisitorDays { get; set; }

    /// <summary>Customers the sweep looks at per second, cluster-wide (it activates each one it looks at).</summary>
    [Range(1, 10000)]
    public int SweepPerSecond { get; set; } = 50;

    /// <summary>How often a sweep over every customer starts (a pass that takes longer starts the next when it ends).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan SweepEvery { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Whether any retention is set.</summary>
    public bool Enabled => InactiveCustomerMonths > 0 || AnonymousVisitorDays > 0;
}
