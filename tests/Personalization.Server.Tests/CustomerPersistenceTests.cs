using Azure.Storage.Blobs;
using Personalization.Testing;
using Personalization.V1;
using static Personalization.Server.Tests.EventServiceTests;

namespace Personalization.Server.Tests;

/// <summary>
/// The documented write policy, observed in Azure Storage: durable events are written before the
/// call returns, others after N events, and a graceful restart keeps everything.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class CustomerPersistenceTests(ServerEnvironment environment)
{
    [Fact]
    public async Task PurchasesAreWrittenBeforeTheCallReturnsAndPageViewsInGroups()
    {
        var settings = Settings(out var container);
        await using var server = await TestServer.StartAsync(settings);
        var events = new EventService.EventServiceClient(server.Channel);
        var c = NewCustomer();

        await events.TrackBatchAsync(Batch(Views(c, 2)));
        var afterViews = await ETagAsync(container, c);
        await events.TrackAsync(new TrackRequest { Event = Ev.Purchase(c, DateTime.UtcNow, 10) });
        var afterPurchase = await ETagAsync(container, c);
        await events.TrackBatchAsync(Batch(Views(c, 2)));
        var afterTwoMore = await ETagAsync(container, c);
        await events.TrackAsync(new TrackRequest { Event = Views(c, 1)[0] });
        var afterThird = await ETagAsync(container, c);

        Assert.Null(afterViews);
        Assert.NotNull(afterPurchase);
        Assert.Equal(afterPurchase, afterTwoMore);
        Assert.NotEqual(afterTwoMore, afterThird);
    }

    [Fact]
    public async Task EveryAcknowledgedEventSurvivesAGracefulRestart()
    {
        var settings = Settings(out _);
        var c = NewCustomer();
        await using (var before = await TestServer.StartAsync(settings))
        {
            var events = new EventService.EventServiceClient(before.Channel);
            await events.TrackBatchAsync(Batch([.. Views(c, 2), Ev.Purchase(c, DateTime.UtcNow, 10), .. Views(c, 1)]));
        }

        await using var after = await TestServer.StartAsync(settings);
        var profile = await new ProfileService.ProfileServiceClient(after.Channel).GetProfileAsync(new GetProfileRequest { CustomerId = c });

        Assert.Equal(3, profile.Behaviour.Views);
        Assert.Equal(1, profile.Behaviour.Purchases);
    }

    private Dictionary<string, string?> Settings(out string container)
    {
        container = $"policy-{Guid.NewGuid():N}";
        var settings = TestServer.Settings(environment.Azurite, container);
        settings["Customers:WriteAfterEvents"] = "3";
        settings["Customers:WriteAfter"] = "01:00:00";
        return settings;
    }

    private static Event[] Views(string c, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => Ev.Of(c, EventType.PageView, DateTime.UtcNow, Channel.Web))];

    private async Task<string?> ETagAsync(string container, string customer)
    {
        var client = new BlobServiceClient(environment.Azurite.ConnectionString).GetBlobContainerClient(container);
        await foreach (var blob in client.GetBlobsAsync())
        {
            if (blob.Name.EndsWith($"/{customer}.state", StringComparison.Ordinal))
            {
                return blob.Properties.ETag?.ToString();
            }
        }

        return null;
    }
}
