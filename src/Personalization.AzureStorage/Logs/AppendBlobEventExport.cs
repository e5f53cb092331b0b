using System.Collections.Concurrent;
using System.Globalization;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Personalization.Contracts.Persistence;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Learning;

namespace Personalization.AzureStorage.Logs;

/// <summary>
/// The event export on Azure append blobs (<see cref="AppendBlobDayLog{T}"/>): applied events as JSON
/// Lines (<see cref="EventExportCodec"/>) under <c>events/date=yyyy-MM-dd/</c> by the UTC day they were
/// written, one append blob per silo segment, one append per <see cref="EventExportOptions.FlushInterval"/>.
/// At-least-once: readers drop repeats by <c>event_id</c>. An erased customer's events still queued
/// are dropped at write; files already written are not rewritten (README: Event export).
/// </summary>
public sealed class AppendBlobEventExport(BlobServiceClient service, EventExportOptions options, ILocalSiloDetails silo, TimeProvider time, ILogger<AppendBlobEventExport> logger)
    : AppendBlobDayLog<ExportedEvent>(
        service.GetBlobContainerClient(options.Container ?? throw new ArgumentException("the event export's container is not set.", nameof(options))),
        options.FlushInterval,
        options.MaxAppendBytes,
        silo,
        time,
        logger),
    IEventExport
{
    // Erased customers with the time of erasure, kept until every event queued before it was surely drained.
    private readonly ConcurrentDictionary<string, DateTime> _erased = new(StringComparer.Ordinal);
    private readonly TimeSpan _erasureMemory = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMinutes(10).Ticks, options.FlushInterval.Ticks * 20));
    private long _events;
    private long _bytes;

    public bool Enabled => true;

    public (long Events, long Bytes) Written => (Interlocked.Read(ref _events), Interlocked.Read(ref _bytes));

    public void Applied(string customerKey, IReadOnlyList<CustomerEvent> events, DateTime appliedAt)
    {
        foreach (var e in events)
        {
            Enqueue(new ExportedEvent(customerKey, e, appliedAt));
        }
    }

    public void Erased(string customerKey, DateTime at) => _erased[customerKey] = at;

    public async Task<IReadOnlyList<ExportedEvent>> ReadAsync(DateOnly? fromDay, CancellationToken cancellationToken)
    {
        var events = new List<ExportedEvent>();
        var first = fromDay is { } day ? FolderOf(day) : null;
        if (!await Container.ExistsAsync(cancellationToken))
        {
            return events;
        }

        await foreach (var blob in Container.GetBlobsAsync(BlobTraits.None, BlobStates.None, "events/date=", cancellationToken))
        {
            // Folders sort by day (yyyy-MM-dd), so a name before the first day's folder is an earlier day.
            if (first is null || string.CompareOrdinal(blob.Name, first) >= 0)
            {
                events.AddRange(EventExportCodec.Decode((await Container.GetBlobClient(blob.Name).DownloadContentAsync(cancellationToken)).Value.Content.ToMemory()));
            }
        }

        return events;
    }

    /// <summary>The folder of a day's files: <c>events/date=yyyy-MM-dd/</c> (Hive-style, as data-lake tools partition).</summary>
    public static string FolderOf(DateOnly day) => "events/date=" + day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "/";

    protected override byte[] Encode(IReadOnlyList<ExportedEvent> entries) => EventExportCodec.Encode(entries);

    protected override string Folder(DateOnly day) => FolderOf(day);

    protected override string SegmentSuffix => ".jsonl";

    protected override List<ExportedEvent> Kept(List<ExportedEvent> batch)
    {
        // An erasure is kept for a while past the flushes that may still hold the customer's earlier events.
        var forgetBefore = Time.GetUtcNow().UtcDateTime - _erasureMemory;
        foreach (var (key, at) in _erased)
        {
            if (at < forgetBefore)
            {
                _erased.TryRemove(new KeyValuePair<string, DateTime>(key, at));
            }
        }

        return EventExportCodec.WithoutErased(batch, _erased);
    }

    protected override void OnWritten(IReadOnlyList<ExportedEvent> entries, int bytes)
    {
        Interlocked.Add(ref _events, entries.Count);
        Interlocked.Add(ref _bytes, bytes);
    }
}
