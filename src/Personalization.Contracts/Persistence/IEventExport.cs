using Personalization.Decisioning.Customers;
using Learning = Personalization.Decisioning.Learning;

namespace Personalization.Contracts.Persistence;

/// <summary>
/// The silo's export of applied events to the data lake. Customer grains hand it the events they
/// applied and tell it about erasures; it writes in groups, never once per event.
/// </summary>
public interface IEventExport
{
    /// <summary>Whether events are exported (a grain builds nothing for it otherwise).</summary>
    bool Enabled { get; }

    /// <summary>Queues events one customer applied at <paramref name="appliedAt"/>.</summary>
    void Applied(string customerKey, IReadOnlyList<CustomerEvent> events, DateTime appliedAt);

    /// <summary>The customer was erased at <paramref name="at"/>: its events still queued are not written.</summary>
    void Erased(string customerKey, DateTime at);

    /// <summary>Writes everything this silo has queued.</summary>
    Task FlushAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Every exported event written on or after <paramref name="fromDay"/> (the UTC day it was
    /// written; null: all days), as stored, repeats included (readers dedupe by event id).
    /// </summary>
    Task<IReadOnlyList<Learning.ExportedEvent>> ReadAsync(DateOnly? fromDay, CancellationToken cancellationToken);

    /// <summary>Events this silo has written, and their bytes.</summary>
    (long Events, long Bytes) Written { get; }
}
