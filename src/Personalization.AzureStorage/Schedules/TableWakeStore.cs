using System.Buffers.Binary;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Personalization.Contracts.Schedules;

namespace Personalization.AzureStorage.Schedules;

/// <summary>
/// The wake-up schedule on an Azure table: partition = shard, row = bucket and batch id (ordinal order is
/// due order), one entity per batch holding its entries in one binary property (<see cref="WakeBatchCodec"/>).
/// So a flush is one insert, a shard's read of everything due is one range query, a done batch one delete.
/// </summary>
public sealed class TableWakeStore(TableServiceClient tables, string table) : IWakeStore
{
    private const string Entries = "E";
    private readonly TableClient _table = tables.GetTableClient(table);
    private Task? _created;

    /// <inheritdoc/>
    public async Task WriteAsync(int shard, WakeBatch batch, CancellationToken cancellation = default)
    {
        await CreatedAsync(cancellation);
        var entity = new TableEntity(Partition(shard), batch.Key) { [Entries] = WakeBatchCodec.Encode(batch) };
        await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellation);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<WakeBatch>> ReadAsync(int shard, long throughBucket, CancellationToken cancellation = default)
    {
        await CreatedAsync(cancellation);
        var upper = WakeBuckets.Key(throughBucket + 1, string.Empty);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(shard)} and RowKey lt {upper}");
        var batches = new List<WakeBatch>();
        await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellation))
        {
            batches.Add(WakeBatchCodec.Decode(entity.RowKey, entity.GetBinary(Entries)));
        }

        return batches;
    }

    /// <inheritdoc/>
    public async Task DeleteAsync(int shard, WakeBatch batch, CancellationToken cancellation = default)
    {
        await CreatedAsync(cancellation);
        await _table.DeleteEntityAsync(Partition(shard), batch.Key, ETag.All, cancellation);
    }

    private static string Partition(int shard) => shard.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    private Task CreatedAsync(CancellationToken cancellation) => _created ??= _table.CreateIfNotExistsAsync(cancellation);
}

/// <summary>
/// A batch's entries in bytes: per entry the due time in ticks (8 bytes), the id's UTF-8 length (2 bytes)
/// and the id — 10 bytes beyond the id per waiting customer.
/// </summary>
public static class WakeBatchCodec
{
    private const int Head = 10;

    /// <summary>The entries of a batch, without its bucket and id (those are the row key).</summary>
    public static byte[] Encode(WakeBatch batch)
    {
        var bytes = new byte[batch.Entries.Sum(e => Head + Encoding.UTF8.GetByteCount(e.CustomerId))];
        var at = 0;
        foreach (var entry in batch.Entries)
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(at), entry.Due.Ticks);
            var length = Encoding.UTF8.GetBytes(entry.CustomerId, bytes.AsSpan(at + Head));
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at + 8), checked((ushort)length));
            at += Head + length;
        }

        return bytes;
    }

    /// <summary>A stored batch from its row key and bytes.</summary>
    public static WakeBatch Decode(string key, byte[] bytes)
    {
        var dash = key.IndexOf('-', StringComparison.Ordinal);
        var bucket = long.Parse(key.AsSpan(0, dash), System.Globalization.CultureInfo.InvariantCulture);
        var entries = new List<WakeEntry>();
        var at = 0;
        while (at < bytes.Length)
        {
            var due = new DateTime(BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(at)), DateTimeKind.Utc);
            var length = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(at + 8));
            entries.Add(new WakeEntry(Encoding.UTF8.GetString(bytes, at + Head, length), due));
            at += Head + length;
        }

        return new WakeBatch(bucket, key[(dash + 1)..], entries);
    }
}
