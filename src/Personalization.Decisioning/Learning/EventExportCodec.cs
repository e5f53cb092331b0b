using System.Buffers;
using System.Text.Json;
using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Learning;

/// <summary>
/// The event export's format: JSON Lines, one applied event per line (README: Models, "Event export
/// schema"). Keys are lower_snake_case; fields an event's type does not use are left out; times are
/// ISO 8601 UTC. <c>event_id</c> is the sender's idempotency key: the export is at-least-once, so a
/// reader drops repeats by it.
/// </summary>
public static class EventExportCodec
{
    private static readonly JsonWriterOptions Options = new() { Indented = false, SkipValidation = true };

    /// <summary>The events as UTF-8 JSON Lines (each line ends with <c>\n</c>).</summary>
    public static byte[] Encode(IReadOnlyList<ExportedEvent> events)
    {
        var buffer = new ArrayBufferWriter<byte>(events.Count * 256);
        using var json = new Utf8JsonWriter(buffer, Options);
        foreach (var exported in events)
        {
            Write(json, exported);
            json.Flush();
            json.Reset();
            buffer.Write("\n"u8);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads JSON Lines back into events (what the training export replays): the customer key is
    /// <c>customer_id</c>, else <c>anonymous_id</c>; a string trait or property in ISO 8601 date-time
    /// form comes back as a time. Blank lines are skipped; a line that is not an exported event throws
    /// <see cref="JsonException"/>.
    /// </summary>
    public static List<ExportedEvent> Decode(ReadOnlyMemory<byte> lines)
    {
        var events = new List<ExportedEvent>();
        var rest = lines;
        while (rest.Length > 0)
        {
            var end = rest.Span.IndexOf((byte)'\n');
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
            if (line.Span.Trim(" \r\t"u8).Length > 0)
            {
                using var document = JsonDocument.Parse(line);
                events.Add(Read(document.RootElement));
            }
        }

        return events;
    }

    private static ExportedEvent Read(JsonElement json)
    {
        var customer = Text(json, "customer_id");
        var anonymous = Text(json, "anonymous_id");
        var e = new CustomerEvent
        {
            EventId = Text(json, "event_id") ?? throw new JsonException("an exported event without event_id"),
            CustomerId = customer,
            AnonymousId = anonymous,
            Type = Enum.Parse<CustomerEventType>((Text(json, "type") ?? "").Replace("_", "", StringComparison.Ordinal), ignoreCase: true),
            Channel = Enum.Parse<Channel>((Text(json, "channel") ?? "unspecified").Replace("_", "", StringComparison.Ordinal), ignoreCase: true),
            OccurredAt = json.GetProperty("occurred_at").GetDateTime().ToUniversalTime(),
            Amount = json.TryGetProperty("amount", out var amount) ? amount.GetDouble() : 0,
            Currency = Text(json, "currency"),
            OrderId = Text(json, "order_id"),
            ProductId = Text(json, "product_id"),
            Category = Text(json, "category"),
            Query = Text(json, "query"),
            Reason = Text(json, "reason"),
            MessageId = Text(json, "message_id"),
            CampaignId = Text(json, "campaign_id"),
            DecisionId = Text(json, "decision_id"),
            OfferId = Text(json, "offer_id"),
            Purpose = Text(json, "purpose"),
            TimeZone = Text(json, "time_zone"),
            LinkedAnonymousId = Text(json, "linked_anonymous_id"),
            FromPlan = Text(json, "from_plan"),
            ToPlan = Text(json, "to_plan"),
            HardBounce = json.TryGetProperty("hard_bounce", out var bounce) && bounce.GetBoolean(),
            Resolved = json.TryGetProperty("resolved", out var resolved) && resolved.GetBoolean(),
            Items = json.TryGetProperty("items", out var items)
                ? [.. items.EnumerateArray().Select(i => new LineItem(i.GetProperty("product_id").GetString()!, i.GetProperty("quantity").GetInt32(), i.GetProperty("unit_price").GetDouble()))]
                : null,
            Properties = ReadValues(json, "properties"),
            Traits = ReadValues(json, "traits"),
        };
        return new ExportedEvent(customer ?? anonymous ?? "", e, json.GetProperty("applied_at").GetDateTime().ToUniversalTime());
    }

    private static string? Text(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, TraitValue>? ReadValues(JsonElement json, string name)
    {
        if (!json.TryGetProperty(name, out var values) || values.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var read = new Dictionary<string, TraitValue>(StringComparer.Ordinal);
        foreach (var value in values.EnumerateObject())
        {
            read[value.Name] = value.Value.ValueKind switch
            {
                JsonValueKind.Number when value.Value.TryGetInt64(out var integer) => TraitValue.Of(integer),
                JsonValueKind.Number => TraitValue.Of(value.Value.GetDouble()),
                JsonValueKind.True or JsonValueKind.False => TraitValue.Of(value.Value.GetBoolean()),
                JsonValueKind.String when value.Value.GetString() is { Length: >= 19 } text && text[10] == 'T' && value.Value.TryGetDateTime(out var time) => TraitValue.Of(time.ToUniversalTime()),
                _ => TraitValue.Of(value.Value.GetString() ?? ""),
            };
        }

        return read;
    }

    /// <summary>
    /// The entries of a batch still exported: an erased customer's events applied before its erasure
    /// go (those applied after it belong to a new profile under the same id and stay).
    /// </summary>
    public static List<ExportedEvent> WithoutErased(List<ExportedEvent> batch, IReadOnlyDictionary<string, DateTime> erasedAt) =>
        erasedAt.Count == 0 ? batch : batch.FindAll(e => !erasedAt.TryGetValue(e.CustomerKey, out var at) || e.AppliedAt > at);

    private static void Write(Utf8JsonWriter json, ExportedEvent exported)
    {
        var e = exported.Event;
        json.WriteStartObject();
        json.WriteString("event_id", e.EventId);
        if (e.CustomerId is { Length: > 0 } customer)
        {
            json.WriteString("customer_id", customer);
        }
        else
        {
            json.WriteNull("customer_id");
        }

        Optional(json, "anonymous_id", e.AnonymousId);
        json.WriteString("type", TraitParsing.SnakeCase(e.Type.ToString()));
        json.WriteString("channel", TraitParsing.SnakeCase(e.Channel.ToString()));
        json.WriteString("occurred_at", DateTime.SpecifyKind(e.OccurredAt, DateTimeKind.Utc));
        json.WriteString("applied_at", DateTime.SpecifyKind(exported.AppliedAt, DateTimeKind.Utc));
        if (e.Amount != 0)
        {
            json.WriteNumber("amount", e.Amount);
        }

        Optional(json, "currency", e.Currency);
        Optional(json, "order_id", e.OrderId);
        Optional(json, "product_id", e.ProductId);
        Optional(json, "category", e.Category);
        Optional(json, "query", e.Query);
        Optional(json, "reason", e.Reason);
        Optional(json, "message_id", e.MessageId);
        Optional(json, "campaign_id", e.CampaignId);
        Optional(json, "decision_id", e.DecisionId);
        Optional(json, "offer_id", e.OfferId);
        Optional(json, "purpose", e.Purpose);
        Optional(json, "time_zone", e.TimeZone);
        Optional(json, "linked_anonymous_id", e.LinkedAnonymousId);
        Optional(json, "from_plan", e.FromPlan);
        Optional(json, "to_plan", e.ToPlan);
        if (e.HardBounce)
        {
            json.WriteBoolean("hard_bounce", true);
        }

        if (e.Resolved)
        {
            json.WriteBoolean("resolved", true);
        }

        if (e.Items is { Count: > 0 } items)
        {
            json.WriteStartArray("items");
            foreach (var item in items)
            {
                json.WriteStartObject();
                json.WriteString("product_id", item.ProductId);
                json.WriteNumber("quantity", item.Quantity);
                json.WriteNumber("unit_price", item.UnitPrice);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        Values(json, "properties", e.Properties);
        Values(json, "traits", e.Traits);
        json.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter json, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            json.WriteString(name, value);
        }
    }

    private static void Values(Utf8JsonWriter json, string name, Dictionary<string, TraitValue>? values)
    {
        if (values is not { Count: > 0 })
        {
            return;
        }

        json.WriteStartObject(name);
        foreach (var (key, value) in values)
        {
            switch (value.Kind)
            {
                case TraitKind.Integer:
                    json.WriteNumber(key, value.Integer);
                    break;
                case TraitKind.Real:
                    json.WriteNumber(key, value.Real);
                    break;
                case TraitKind.Boolean:
                    json.WriteBoolean(key, value.Boolean);
                    break;
                case TraitKind.Time:
                    json.WriteString(key, DateTime.SpecifyKind(value.Time, DateTimeKind.Utc));
                    break;
                default:
                    json.WriteString(key, value.Text);
                    break;
            }
        }

        json.WriteEndObject();
    }
}
