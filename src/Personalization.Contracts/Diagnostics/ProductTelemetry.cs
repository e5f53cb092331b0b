using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Personalization.Contracts.Diagnostics;

/// <summary>
/// The product's own metrics and traces (meter and activity source <c>Personalization</c>):
/// decisions by mode and result, events by result, campaign decisions by campaign and result,
/// scoring latency by model kind. The active model versions are published by the server.
/// </summary>
public static class ProductTelemetry
{
    public const string Name = "Personalization";

    /// <summary>The product's meter.</summary>
    public static readonly Meter Meter = new(Name, "1.0");

    /// <summary>The product's spans (decide, campaign rounds).</summary>
    public static readonly ActivitySource Source = new(Name, "1.0");

    private static readonly Counter<long> Decisions = Meter.CreateCounter<long>("personalization.decisions", "{decision}", "Next-best-action decisions, by mode (inbound, outbound), result (action, no_action) and arm.");
    private static readonly Counter<long> Events = Meter.CreateCounter<long>("personalization.events", "{event}", "Events received, by result (applied, duplicate, rejected).");
    private static readonly Counter<long> CampaignDecisions = Meter.CreateCounter<long>("personalization.campaign.decisions", "{decision}", "Campaign member decisions, by campaign and result (queued or the suppression reason).");
    private static readonly Histogram<double> Scoring = Meter.CreateHistogram<double>("personalization.scoring.duration", "ms", "Time to score one customer, by model kind (churn: one score; offer: every candidate offer).");

    private static readonly Counter<long> StorageRequests = Meter.CreateCounter<long>("personalization.storage.requests", "{request}", "Requests sent to Azure Storage, by service (blob, table, queue) and HTTP method, retries included.");

    private static readonly Counter<long> AuditEntries = Meter.CreateCounter<long>("personalization.audit.entries", "{entry}", "Audit trail entries, by kind (change, read, export, erase) and result (written, failed).");

    private static readonly Counter<long> Releases = Meter.CreateCounter<long>("personalization.deliveries.released", "{delivery}", "Scheduled deliveries that came due, by result (released, held for quiet hours, or the drop reason: erased, no_consent, unsubscribed, spam_complaint, hard_bounce, ...).");

    /// <summary>Counts scheduled deliveries that came due, by result (released, held, or the drop reason).</summary>
    public static void DeliveriesReleased(string result, int count) => Add(Releases, count, result);

    private static readonly Counter<long> Expired = Meter.CreateCounter<long>("personalization.retention.erased", "{customer}", "Customers erased by the retention sweep (inactive past Retention:InactiveCustomerMonths).");

    /// <summary>Counts customers the retention sweep erased.</summary>
    public static void RetentionErased(int count)
    {
        if (count > 0)
        {
            Expired.Add(count);
        }
    }

    private static readonly Counter<long> Outcomes = Meter.CreateCounter<long>("personalization.outcomes", "{outcome}", "Outcomes joined to their decision, once each, by outcome (shown, opened, clicked, converted, dismissed) and source (record_outcome, connector).");

    private static readonly Counter<double> Revenue = Meter.CreateCounter<double>("personalization.revenue", "{currency}", "Purchase revenue applied, in the purchases' major currency unit, with the purchase count as personalization.purchases.");

    private static readonly Counter<long> Purchases = Meter.CreateCounter<long>("personalization.purchases", "{purchase}", "Purchases applied (each once).");

    /// <summary>Counts an outcome joined to its decision.</summary>
    public static void OutcomeJoined(string outcome, string source) =>
        Outcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome), new KeyValuePair<string, object?>("source", source));

    /// <summary>Counts a purchase and its revenue.</summary>
    public static void Purchased(double amount)
    {
        Purchases.Add(1);
        if (double.IsFinite(amount) && amount > 0)
        {
            Revenue.Add(amount);
        }
    }

    public static void Audited(string kind, bool ok) =>
        AuditEntries.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("result", ok ? "written" : "failed"));

    public static void StorageRequest(string service, string method) =>
        StorageRequests.Add(1, new KeyValuePair<string, object?>("service", service), new KeyValuePair<string, object?>("method", method));

    public static void Decided(string mode, bool acted, string arm) =>
        Decisions.Add(1, new KeyValuePair<string, object?>("mode", mode), new KeyValuePair<string, object?>("result", acted ? "action" : "no_action"), new KeyValuePair<string, object?>("arm", arm));

    public static void Tracked(int applied, int duplicates, int rejected)
    {
        Add(Events, applied, "applied");
        Add(Events, duplicates, "duplicate");
        Add(Events, rejected, "rejected");
    }

    public static void CampaignDecided(string campaignId, string result) =>
        CampaignDecisions.Add(1, new KeyValuePair<string, object?>("campaign", campaignId), new KeyValuePair<string, object?>("result", result));

    /// <summary>Records the time since <paramref name="startTimestamp"/> (from <see cref="Stopwatch.GetTimestamp"/>).</summary>
    public static void Scored(string kind, long startTimestamp) =>
        Scoring.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds, new KeyValuePair<string, object?>("kind", kind));

    private static void Add(Counter<long> counter, int count, string result)
    {
        if (count > 0)
        {
            counter.Add(count, new KeyValuePair<string, object?>("result", result));
        }
    }
}
