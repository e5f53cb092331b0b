using System.Text.Json;
using Azure.Storage.Queues;
using Personalization.AzureStorage.Queues;
using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;

namespace Personalization.AzureStorage.Tests;

/// <summary>
/// The delivery queue on a real Azurite: deliveries whose send time has passed share one message per channel
/// (its send time the latest of theirs), while a later send time keeps a message of its own on the scheduled queue.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class DeliveryQueueTests(StorageServers servers)
{
    [Fact]
    public async Task DeliveriesAlreadyDueShareAMessagePerChannelAndLaterOnesKeepTheirSendTime()
    {
        var service = new QueueServiceClient(servers.Azurite.ConnectionString);
        var prefix = $"q{Guid.NewGuid():N}"[..20];
        var queue = new AzureDeliveryQueue(service, prefix, TimeSpan.Zero, TimeProvider.System);
        var now = DateTime.UtcNow;
        var later = now.AddHours(2);
        CampaignDelivery Delivery(string customer, Channel channel, DateTime sendAt) => new($"j:{customer}:1:s", customer, $"d-{customer}", "offer", channel, sendAt);

        await queue.EnqueueAsync("journey:j",
        [
            Delivery("c1", Channel.Email, now.AddSeconds(-3)),
            Delivery("c2", Channel.Email, now.AddSeconds(-1)),
            Delivery("c3", Channel.Email, now.AddSeconds(-2)),
            Delivery("c4", Channel.Push, now.AddSeconds(-5)),
            Delivery("c5", Channel.Email, later),
            Delivery("c6", Channel.Email, later),
        ]);

        var email = Assert.Single(await ReceiveAsync(service.GetQueueClient(AzureDeliveryQueue.QueueName(prefix, Channel.Email))));
        Assert.Equal(now.AddSeconds(-1), email.GetProperty("send_at").GetDateTime().ToUniversalTime(), TimeSpan.FromMilliseconds(1));
        Assert.Equal(["c1", "c2", "c3"], email.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("customer_id").GetString()!).Order());
        var push = Assert.Single(await ReceiveAsync(service.GetQueueClient(AzureDeliveryQueue.QueueName(prefix, Channel.Push))));
        Assert.Equal("c4", Assert.Single(push.GetProperty("deliveries").EnumerateArray()).GetProperty("customer_id").GetString());
        // The later pair waits hidden on the scheduled queue: one message, not yet visible.
        var scheduled = service.GetQueueClient(AzureDeliveryQueue.ScheduledQueueName(prefix));
        Assert.Equal(1, (await scheduled.GetPropertiesAsync()).Value.ApproximateMessagesCount);
        Assert.Empty((await scheduled.ReceiveMessagesAsync(32)).Value);
    }

    private static async Task<List<JsonElement>> ReceiveAsync(QueueClient queue) =>
        [.. (await queue.ReceiveMessagesAsync(32)).Value.Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement.Clone())];
}
