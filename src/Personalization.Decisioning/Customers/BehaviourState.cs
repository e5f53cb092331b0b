using Orleans;

namespace Personalization.Decisioning.Customers;

/// <summary>Behaviour aggregates: recency, frequency and monetary value, and per-day activity for rolling windows.</summary>
[GenerateSerializer]
public sealed class BehaviourState
{
    /// <summary>Days of activity kept for rolling windows (7 and 30 days).</summary>
    public const int DaysKept = 30;

    /// <summary>Sessions started, ever.</summary>
    [Id(0)] public long Sessions { get; set; }

    /// <summary>Page, screen and product views, ever.</summary>
    [Id(1)] public long Views { get; set; }

    /// <summary>Searches, ever.</summary>
    [Id(2)] public long Searches { get; set; }

    /// <summary>Items added to a cart, ever.</summary>
    [Id(3)] public long CartAdds { get; set; }

    /// <summary>Checkouts started, ever.</summary>
    [Id(4)] public long Checkouts { get; set; }

    /// <summary>Purchases, ever (frequency).</summary>
    [Id(5)] public long Purchases { get; set; }

    /// <summary>Revenue, ever (monetary), in the currency of the purchases.</summary>
    [Id(6)] public double Revenue { get; set; }

    /// <summary>The latest purchase's event time (recency); default when none.</summary>
    [Id(7)] public DateTime LastPurchaseAt { get; set; }

    /// <summary>Store visits, ever.</summary>
    [Id(8)] public long StoreVisits { get; set; }

    /// <summary>Call-center contacts, ever.</summary>
    [Id(9)] public long CallCenterContacts { get; set; }

    /// <summary>Complaints, ever.</summary>
    [Id(10)] public long Complaints { get; set; }

    /// <summary>The latest contact or complaint reason.</summary>
    [Id(11)] public string? LastContactReason { get; set; }

    /// <summary>The latest contact or complaint's event time.</summary>
    [Id(12)] public DateTime LastContactAt { get; set; }

    /// <summary>Plan or subscription changes, ever.</summary>
    [Id(13)] public long SubscriptionChanges { get; set; }

    /// <summary>Activity per UTC day for the last <see cref="DaysKept"/> days of event time.</summary>
    [Id(14)] public List<DailyActivity> Days { get; set; } = [];

    /// <summary>The first purchase's event time; default when none.</summary>
    [Id(15)] public DateTime FirstPurchaseAt { get; set; }
}
