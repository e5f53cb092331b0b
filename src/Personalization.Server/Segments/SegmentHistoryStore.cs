using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Personalization.Decisioning.Segments;

namespace Personalization.Server.Segments;

/// <summary>
/// Segments' member counts over time in an Azure table of the service's storage account: one partition per
/// segment, one row per ring slot (<see cref="CountHistory"/>), so a segment never holds more than
/// <see cref="SegmentHistorySettings.Samples"/> rows and a sample is one upsert.
/// </summary>
public sealed class SegmentHistoryStore(TableServiceClient tables, SegmentHistorySettings settings)
{
    private readonly TableClient _table = tables.GetTableClient(settings.Table);
    private Task? _created;

    /// <summary>Records a segment's count at a time (replacing the sample of the same period).</summary>
    public async Task WriteAsync(string segment, CountSample sample, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync();
        var slot = CountHistory.Slot(sample.At, settings.Every, settings.Samples);
        var row = new TableEntity(segment, slot.ToString("D5", CultureInfo.InvariantCulture))
        {
            ["At"] = sample.At,
            ["MemberCount"] = sample.MemberCount,
        };
        await _table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);
    }

    /// <summary>A segment's samples within the ring's span before <paramref name="now"/>, oldest first.</summary>
    public async Task<IReadOnlyList<CountSample>> ReadAsync(string segment, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync();
        var samples = new List<CountSample>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {segment}"), cancellationToken: cancellationToken))
        {
            if (row.GetDateTimeOffset("At") is { } at && row.GetInt64("MemberCount") is { } count)
            {
                samples.Add(new CountSample(at, count));
            }
        }

        return CountHistory.Recent(samples, now, settings.Every, settings.Samples);
    }

    /// <summary>Forgets a deleted segment's samples (a new segment of the same name starts afresh).</summary>
    public async Task DeleteAsync(string segment, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync();
        var keys = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {segment}"), select: ["RowKey"], cancellationToken: cancellationToken))
        {
            keys.Add(row.RowKey);
        }

        foreach (var chunk in keys.Chunk(100))
        {
            await _table.SubmitTransactionAsync(chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(segment, k), ETag.All)), cancellationToken);
        }
    }

    private Task EnsureTableAsync()
    {
        var created = _created;
        if (created is null || created.IsFaulted)
        {
            _created = created = _table.CreateIfNotExistsAsync();
        }

        return created;
    }
}
