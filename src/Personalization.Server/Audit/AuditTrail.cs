using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Google.Protobuf.WellKnownTypes;
using Personalization.V1;

namespace Personalization.Server.Audit;

/// <summary>
/// The audit trail in an Azure table of the service's storage account: one partition per UTC day
/// (<c>yyyyMMdd</c>), rows keyed by time (ticks, then a random suffix), so a search reads the days
/// of its range in order and an expired day is one partition to delete. Entries are only added:
/// nothing in the service updates one.
/// </summary>
public sealed class AuditTrail(TableServiceClient tables, AuditSettings settings)
{
    /// <summary>The widest range one search may cover.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(92);

    private readonly TableClient _table = tables.GetTableClient(settings.Table);
    private Task? _created;

    /// <summary>Adds an entry; completes when it is stored.</summary>
    public async Task WriteAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        await EnsureTableAsync();
        var at = entry.At.ToDateTime();
        var row = new TableEntity(Day(at), $"{at.Ticks:D19}-{Guid.NewGuid():N}"[..28])
        {
            ["KeyName"] = entry.KeyName,
            ["Method"] = entry.Method,
            ["Kind"] = entry.Kind.ToString(),
            ["Targets"] = JsonSerializer.Serialize(entry.Targets.Select(t => new[] { t.Field, t.Id })),
            ["Status"] = entry.Status,
            ["Host"] = entry.Host,
            ["OnBehalfOf"] = entry.OnBehalfOf,
        };
        await _table.AddEntityAsync(row, cancellationToken);
    }

    /// <summary>
    /// Entries in [from, to), oldest first, at most <paramref name="size"/>, after the position of a
    /// previous page; the position of the last entry returned when there may be more.
    /// </summary>
    public async Task<(List<AuditEntry> Entries, string? Next)> SearchAsync(DateTime from, DateTime to, string? keyName, string? target, string? method, int size, string? after)
    {
        await EnsureTableAsync();
        var entries = new List<AuditEntry>();
        var (afterDay, afterRow) = after?.Split('/') is [var d, var r] ? (d, r) : (null, null);
        for (var day = from.Date; day < to && entries.Count < size; day = day.AddDays(1))
        {
            var partition = Day(day);
            if (afterDay is not null && string.CompareOrdinal(partition, afterDay) < 0)
            {
                continue;
            }

            var lower = partition == afterDay ? afterRow! : $"{from.Ticks:D19}";
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {lower} and RowKey lt {$"{to.Ticks:D19}"}");
            if (!string.IsNullOrEmpty(keyName))
            {
                filter += " and " + TableClient.CreateQueryFilter($"KeyName eq {keyName}");
            }

            await foreach (var row in _table.QueryAsync<TableEntity>(filter))
            {
                var entry = ToEntry(row);
                if (Matches(entry, target, method))
                {
                    entries.Add(entry);
                    if (entries.Count == size)
                    {
                        return (entries, $"{partition}/{row.RowKey}");
                    }
                }
            }
        }

        return (entries, null);
    }

    /// <summary>Deletes the entries of one UTC day; returns how many.</summary>
    public async Task<int> DeleteDayAsync(DateOnly day)
    {
        await EnsureTableAsync();
        var partition = day.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var keys = new List<string>();
        await foreach (var row in _table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), select: ["RowKey"]))
        {
            keys.Add(row.RowKey);
        }

        foreach (var chunk in keys.Chunk(100))
        {
            await _table.SubmitTransactionAsync(chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, k), ETag.All)));
        }

        return keys.Count;
    }

    /// <summary>Whether a page position is one <see cref="SearchAsync"/> returns ("yyyyMMdd/ticks-suffix").</summary>
    public static bool IsPosition(string position) =>
        position.Length == 8 + 1 + 28 && position[8] == '/' && position.AsSpan(0, 8).IndexOfAnyExceptInRange('0', '9') < 0
        && position.AsSpan(9, 19).IndexOfAnyExceptInRange('0', '9') < 0 && position[28] == '-';

    private static bool Matches(AuditEntry entry, string? target, string? method) =>
        (string.IsNullOrEmpty(target) || entry.Targets.Any(t => t.Id == target))
        && (string.IsNullOrEmpty(method) || entry.Method == method || entry.Method.EndsWith("/" + method, StringComparison.Ordinal));

    private static AuditEntry ToEntry(TableEntity row)
    {
        var ticks = long.Parse(row.RowKey.AsSpan(0, 19), CultureInfo.InvariantCulture);
        var entry = new AuditEntry
        {
            At = Timestamp.FromDateTime(new DateTime(ticks, DateTimeKind.Utc)),
            KeyName = row.GetString("KeyName") ?? "",
            Method = row.GetString("Method") ?? "",
            Kind = System.Enum.TryParse<AuditKind>(row.GetString("Kind"), out var kind) ? kind : AuditKind.Unspecified,
            Status = row.GetString("Status") ?? "",
            Host = row.GetString("Host") ?? "",
            OnBehalfOf = row.GetString("OnBehalfOf") ?? "",
        };
        var targets = row.GetString("Targets") is { Length: > 0 } json ? JsonSerializer.Deserialize<string[][]>(json) ?? [] : [];
        foreach (var pair in targets.Where(p => p.Length == 2))
        {
            entry.Targets.Add(new AuditTarget { Field = pair[0], Id = pair[1] });
        }

        return entry;
    }

    private static string Day(DateTime at) => at.ToString("yyyyMMdd", CultureInfo.InvariantCulture);

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
