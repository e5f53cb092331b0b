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
/// <c>{prefix}-in-app</c>, …), read by the channel connectors. Deliveries of one campaign (or journey) with
/// the same channel and send time (or a send time already past) share a message (at most <see cref="MaxMessageBytes"/>). A delivery due
/// now (its send time, less <paramref name="lead"/> for connectors that need time to prepare, has come)
/// goes straight to its channel queue: the decision that made it checked consent a moment ago. A later one
/// waits, hidden until it is due, on the internal queue <c>{prefix}-scheduled</c>, where every silo's
/// <see cref="DeliveryReleaser"/> has the customer re-check it before forwarding it in the same format.
/// The format is documented in the README.
/// </summary>
public sealed class AzureDeliveryQueue(QueueServiceClient service, string prefix, TimeSpan lead, TimeProvider time) : IDeliveryQueue
{
    /// <summary>Message format version, the first field of every message.</summary>
    public const int Format = 1;

    /// <summary>Largest message body written (the service limit is 64 KiB).</summary>
    public const int MaxMessageBytes = 48 * 1024;

    /// <summary>The longest Azure Storage keeps a message hidden: a delivery further out is hidden again when this runs out.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    // The scheduled queue's slot in the cache of created queues (no channel has this number).
    private const Channel Scheduled = (Channel)(-1);

    private readonly ConcurrentDictionary<Channel, Lazy<Task<QueueClient>>> _queues = new();

    /// <summary>The queue of a channel.</summary>
    public static string QueueName(string prefix, Channel channel) => $"{prefix}-{TraitParsing.SnakeCase(channel.ToString()).Replace('_', '-')}";

    /// <summary>The internal queue where deliveries wait for their send time (connectors never read it).</summary>
    public static string ScheduledQueueName(string prefix) => $"{prefix}-scheduled";

    /// <summary>When a delivery with this send time is due for release: the send time less the connectors' lead.</summary>
    public DateTime ReleaseAt(DateTime sendAt) => sendAt - lead;

    public async Task EnqueueAsync(string campaignId, IReadOnlyList<CampaignDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var sends = new List<Task>();
        // Send times already past share a message per channel (its send_at the latest of them: all mean "now");
        // later ones keep their own, which connectors with a lead time prepare for.
        foreach (var group in deliveries.GroupBy(d => (d.Channel, SendAt: d.SendAt <= now ? DateTime.MinValue : d.SendAt)))
        {
            var sendAt = group.Max(d => d.SendAt);
            var delay = ReleaseAt(sendAt) - now;
            var queue = await QueueAsync(delay > TimeSpan.Zero ? Scheduled : group.Key.Channel);
            TimeSpan? visibility = delay <= TimeSpan.Zero ? null : delay < MaxDelay ? delay : MaxDelay;
            foreach (var body in Messages(campaignId, group.Key.Channel, sendAt, [.. group]))
            {
                sends.Add(queue.SendMessageAsync(body, visibility, TimeSpan.FromSeconds(-1), cancellationToken));
            }
        }

        await Task.WhenAll(sends);
    }

    /// <summary>Puts released deliveries (one campaign, channel and send time) on their channel queue, visible at once.</summary>
    public async Task ForwardAsync(string campaignId, Channel channel, DateTime sendAt, IReadOnlyList<CampaignDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        var queue = await QueueAsync(channel);
        await Task.WhenAll(Messages(campaignId, channel, sendAt, deliveries)
            .Select(body => queue.SendMessageAsync(body, null, TimeSpan.FromSeconds(-1), cancellationToken)));
    }

    /// <summary>The scheduled queue, created on first use.</summary>
    public Task<QueueClient> ScheduledAsync() => QueueAsync(Scheduled);

    /// <summary>Reads a message body written by <see cref="Messages"/>; null when it is not one (unknown format or channel, missing fields).</summary>
    public static ScheduledMessage? Parse(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.GetProperty("format").GetInt32() != Format
                || Enum.GetValues<Channel>().Where(c => TraitParsing.SnakeCase(c.ToString()) == root.GetProperty("channel").GetString()).ToList() is not [var channel])
            {
                return null;
            }

            var campaignId = root.GetProperty("campaign_id").GetString()!;
            var sendAt = root.GetProperty("send_at").GetDateTime().ToUniversalTime();
            var deliveries = root.GetProperty("deliveries").EnumerateArray().Select(d => new CampaignDelivery(
                d.GetProperty("delivery_id").GetString()!,
                d.GetProperty("customer_id").GetString()!,
                d.GetProperty("decision_id").GetString()!,
                d.GetProperty("offer_id").GetString()!,
                channel,
                sendAt,
                d.TryGetProperty("variant", out var variant) ? variant.GetString() : null,
                d.TryGetProperty("content", out var content) ? content.GetString() ?? "" : "")).ToList();
            return new ScheduledMessage(campaignId, channel, sendAt, deliveries);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
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
            var queue = service.GetQueueClient(c == Scheduled ? ScheduledQueueName(prefix) : QueueName(prefix, c));
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
