using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Azure.Storage.Queues;
using Personalization.Contracts.Campaigns;
using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;

namespace Personalization.AzureStorage.Queues;

/// <summary>
/// Queues deliveries on Azure Storage queues, one queue per channel (<c>{prefix}-email</c>,
/// <c>{prefix}-in-app</c>, …). Deliveries of one campaign with the same channel and send time share a
/// message (at most <see cref="MaxMessageBytes"/>), hidden until the send time, so timing survives
/// restarts and a connector sees a message only when it is due (or <paramref name="lead"/> before, for
/// connectors that need time to prepare a send). The format is documented in the README.
/// </summary>
public sealed class AzureDeliveryQueue(QueueServiceClient service, string prefix, TimeSpan lead, TimeProvider time) : IDeliveryQueue
{
    /// <summary>Message format version, the first field of every message.</summary>
    public const int Format = 1;

    /// <summary>Largest message body written (the service limit is 64 KiB).</summary>
    public const int MaxMessageBytes = 48 * 1024;

    // Azure Storage keeps a message hidden for at most 7 days.
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    private readonly ConcurrentDictionary<Channel, Lazy<Task<QueueClient>>> _queues = new();

    /// <summary>The queue of a channel.</summary>
    public static string QueueName(string prefix, Channel channel) => $"{prefix}-{TraitParsing.SnakeCase(channel.ToString()).Replace('_', '-')}";

    public async Task EnqueueAsync(string campaignId, IReadOnlyList<CampaignDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var sends = new List<Task>();
        foreach (var group in deliveries.GroupBy(d => (d.Channel, d.SendAt)))
        {
            var queue = await QueueAsync(group.Key.Channel);
            var delay = group.Key.SendAt - lead - now;
            var visibility = delay <= TimeSpan.Zero ? (TimeSpan?)null : delay < MaxDelay ? delay : MaxDelay;
            foreach (var body in Messages(campaignId, group.Key.Channel, group.Key.SendAt, [.. group]))
            {
                sends.Add(queue.SendMessageAsync(body, visibility, TimeSpan.FromSeconds(-1), cancellationToken));
            }
        }

        await Task.WhenAll(sends);
    }

    /// <summary>The message bodies for deliveries sharing a channel and send time, each under the size limit.</summary>
    public static IEnumerable<string> Messages(string campaignId, Channel channel, DateTime sendAt, IReadOnlyList<CampaignDelivery> deliveries)
    {
        var start = 0;
        while (start < deliveries.Count)
        {
            var count = deliveries.Count - start;
            string body;
            while (true)
            {
                body = Message(campaignId, channel, sendAt, deliveries.Skip(start).Take(count));
                if (count == 1 || Encoding.UTF8.GetByteCount(body) <= MaxMessageBytes)
                {
                    break;
                }

                count = (count + 1) / 2;
            }

            yield return body;
            start += count;
        }
    }

    private static string Message(string campaignId, Channel channel, DateTime sendAt, IEnumerable<CampaignDelivery> deliveries)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("format", Format);
            json.WriteString("campaign_id", campaignId);
            json.WriteString("channel", TraitParsing.SnakeCase(channel.ToString()));
            json.WriteString("send_at", DateTime.SpecifyKind(sendAt, DateTimeKind.Utc));
            json.WriteStartArray("deliveries");
            foreach (var d in deliveries)
            {
                json.WriteStartObject();
                json.WriteString("delivery_id", d.DeliveryId);
                json.WriteString("customer_id", d.CustomerId);
                json.WriteString("decision_id", d.DecisionId);
                json.WriteString("offer_id", d.OfferId);
                if (d.Variant is { } variant)
                {
                    json.WriteString("variant", variant);
                }

                if (d.Content.Length > 0)
                {
                    json.WriteString("content", d.Content);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private async Task<QueueClient> QueueAsync(Channel channel)
    {
        var created = _queues.GetOrAdd(channel, c => new Lazy<Task<QueueClient>>(async () =>
        {
            var queue = service.GetQueueClient(QueueName(prefix, c));
            await queue.CreateIfNotExistsAsync();
            return queue;
        }));
        try
        {
            return await created.Value;
        }
        catch
        {
            // A failed creation (storage down) is tried again by the next caller.
            _queues.TryRemove(KeyValuePair.Create(channel, created));
            throw;
        }
    }
}
