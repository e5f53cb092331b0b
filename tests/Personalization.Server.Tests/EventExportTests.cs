using System.Globalization;
using System.Text.Json;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Contracts.Persistence;
using Personalization.Testing;
using Personalization.V1;
using static Personalization.Server.Tests.EventServiceTests;

namespace Personalization.Server.Tests;

/// <summary>
/// The event export over real gRPC with Azurite: applied events land as JSON Lines in the day's
/// partition with their ids, duplicates are not exported twice, and an erased customer's events still
/// queued are not written while files already written stay as they were.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class EventExportTests(ServerEnvironment environment) : IAsyncLifetime
{
    private readonly string _container = $"export-{Guid.NewGuid():N}";
    private TestServer _server = null!;

    public async Task InitializeAsync()
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["EventExport:Enabled"] = "true";
        settings["EventExport:Container"] = _container;
        // The tests flush when they want a write: the timer never fires during one.
        settings["EventExport:FlushInterval"] = "00:10:00";
        _server = await TestServer.StartAsync(settings);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private IEventExport Export => _server.Services.GetRequiredService<IEventExport>();

    private BlobContainerClient Container => new BlobServiceClient(environment.Azurite.ConnectionString).GetBlobContainerClient(_container);

    private static string Today => "events/date=" + DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "/";

    // Every exported line, by file.
    private async Task<Dictionary<string, List<JsonElement>>> FilesAsync()
    {
        var files = new Dictionary<string, List<JsonElement>>();
        await foreach (var blob in Container.GetBlobsAsync())
        {
            var text = (await Container.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToString();
            files[blob.Name] = [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
        }

        return files;
    }

    [Fact]
    public async Task AppliedEventsLandAsJsonLinesInTodaysPartitionWithTheirIdsOnce()
    {
        var events = new EventService.EventServiceClient(_server.Channel);
        var customer = NewCustomer();
        var at = DateTime.UtcNow.AddMinutes(-2);
        var before = Export.Written;
        var (session, purchase, cart) = (Ev.Session(customer, at), Ev.Purchase(customer, at.AddSeconds(30), 42.5), Ev.Cart(customer, EventType.AddToCart, at.AddSeconds(10), "p-7", 2, 9.99));
        await events.TrackBatchAsync(Batch(session, cart, purchase));
        // Sent again (the sender's retry): applied once, exported once.
        await events.TrackAsync(new TrackRequest { Event = purchase });

        await Export.FlushAsync(CancellationToken.None);
        var files = await FilesAsync();

        var name = Assert.Single(files.Keys);
        Assert.StartsWith(Today, name);
        Assert.EndsWith(".jsonl", name);
        var lines = files[name].Where(l => l.GetProperty("customer_id").GetString() == customer).ToList();
        Assert.Equal([session.EventId, cart.EventId, purchase.EventId], lines.Select(l => l.GetProperty("event_id").GetString()));
        Assert.Equal(["session_started", "add_to_cart", "purchase"], lines.Select(l => l.GetProperty("type").GetString()));
        Assert.All(lines, l => Assert.Equal("web", l.GetProperty("channel").GetString()));
        Assert.Equal(at, lines[0].GetProperty("occurred_at").GetDateTime().ToUniversalTime(), TimeSpan.FromMilliseconds(1));
        Assert.All(lines, l => Assert.InRange(l.GetProperty("applied_at").GetDateTime().ToUniversalTime(), DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow));
        var item = Assert.Single(lines[1].GetProperty("items").EnumerateArray());
        Assert.Equal(("p-7", 2, 9.99), (item.GetProperty("product_id").GetString(), item.GetProperty("quantity").GetInt32(), item.GetProperty("unit_price").GetDouble()));
        Assert.Equal((42.5, "EUR", purchase.Purchase.OrderId), (lines[2].GetProperty("amount").GetDouble(), lines[2].GetProperty("currency").GetString(), lines[2].GetProperty("order_id").GetString()));
        Assert.False(lines[0].TryGetProperty("amount", out _));
        Assert.Equal((3L, true), (Export.Written.Events - before.Events, Export.Written.Bytes > before.Bytes));
    }

    [Fact]
    public async Task AnErasedCustomersQueuedEventsAreNotWrittenAndFilesAlreadyWrittenStay()
    {
        var events = new EventService.EventServiceClient(_server.Channel);
        var profiles = new ProfileService.ProfileServiceClient(_server.Channel);
        var (erased, kept) = (NewCustomer(), NewCustomer());
        var now = DateTime.UtcNow;
        var (erasedFirst, keptFirst) = (Ev.Session(erased, now), Ev.Session(kept, now));
        await events.TrackBatchAsync(Batch(erasedFirst, keptFirst));
        await Export.FlushAsync(CancellationToken.None);
        var (erasedQueued, keptQueued) = (Ev.Purchase(erased, now, 10), Ev.Purchase(kept, now, 10));
        await events.TrackBatchAsync(Batch(erasedQueued, keptQueued));

        await profiles.ForgetProfileAsync(new ForgetProfileRequest { CustomerId = erased });
        var keptLater = Ev.Session(kept, now.AddSeconds(1));
        await events.TrackAsync(new TrackRequest { Event = keptLater });
        await Export.FlushAsync(CancellationToken.None);
        // The same id tracked after the erasure is a new profile: its events are exported again.
        var returned = Ev.Session(erased, now.AddSeconds(2));
        await events.TrackAsync(new TrackRequest { Event = returned });
        await Export.FlushAsync(CancellationToken.None);
        var ids = (await FilesAsync()).Values.SelectMany(lines => lines).Select(l => l.GetProperty("event_id").GetString()).ToList();

        Assert.Contains(erasedFirst.EventId, ids);
        Assert.DoesNotContain(erasedQueued.EventId, ids);
        Assert.Contains(returned.EventId, ids);
        Assert.Equal(1, ids.Count(id => id == keptFirst.EventId));
        Assert.Contains(keptQueued.EventId, ids);
        Assert.Contains(keptLater.EventId, ids);
    }
}
