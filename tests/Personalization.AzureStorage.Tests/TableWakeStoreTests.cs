using Azure.Data.Tables;
using Personalization.AzureStorage.Schedules;
using Personalization.Contracts.Schedules;

namespace Personalization.AzureStorage.Tests;

/// <summary>The wake-up schedule's table on a real Azurite: one entity per batch, read in due order through a bucket, deleted when done.</summary>
[Collection(StorageCollection.Name)]
public sealed class TableWakeStoreTests(StorageServers servers)
{
    private static readonly TimeSpan Width = TimeSpan.FromSeconds(5);

    private TableWakeStore Store() => new(new TableServiceClient(servers.Azurite.ConnectionString), $"wakes{Guid.NewGuid():N}");

    private static WakeBatch Batch(DateTime due, string id, params string[] customers) =>
        new(WakeBuckets.Of(due, Width), id, [.. customers.Select((c, i) => new WakeEntry(c, due.AddMilliseconds(i)))]);

    [Fact]
    public async Task AShardReadsEveryBatchThroughABucketInDueOrderAndNothingLaterOrOfAnotherShard()
    {
        var store = Store();
        var now = new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);
        var late = Batch(now.AddSeconds(12), "s1-2", "c3");
        var early = Batch(now.AddSeconds(-3600), "s1-1", "c1", "ü-ñ:2");
        var current = Batch(now.AddSeconds(1), "s2-1", "c2");
        await store.WriteAsync(3, late);
        await store.WriteAsync(3, current);
        await store.WriteAsync(3, early);
        await store.WriteAsync(4, Batch(now, "s1-3", "other"));

        var read = await store.ReadAsync(3, WakeBuckets.Of(now.AddSeconds(5), Width));

        Assert.Equal([early.Key, current.Key], read.Select(b => b.Key));
        Assert.Equal(early.Entries, read[0].Entries);
        Assert.Equal(current.Entries, read[1].Entries);
        await store.DeleteAsync(3, early);
        await store.DeleteAsync(3, early); // a repeat after a crash is not an error
        Assert.Equal([current.Key, late.Key], (await store.ReadAsync(3, long.MaxValue - 1)).Select(b => b.Key));
    }

    [Fact]
    public async Task AFullBatchOfLongIdsFitsOneEntity()
    {
        var store = Store();
        var due = new DateTime(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);
        var batch = Batch(due, "full", [.. Enumerable.Range(0, 1000).Select(i => $"customer-{i:D6}-{new string('x', 37)}")]);

        await store.WriteAsync(0, batch);

        Assert.Equal(batch.Entries, Assert.Single(await store.ReadAsync(0, batch.Bucket)).Entries);
    }
}
