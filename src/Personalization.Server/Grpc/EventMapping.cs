using Google.Protobuf.WellKnownTypes;
using Personalization.Decisioning.Customers;
using Personalization.V1;
using Channel = Personalization.Decisioning.Customers.Channel;
using LineItem = Personalization.Decisioning.Customers.LineItem;
using Value = Personalization.V1.Value;

namespace Personalization.Server.Grpc;

/// <summary>Maps the public event message to the domain event, reporting what cannot be mapped.</summary>
public static class EventMapping
{
    // The range Timestamp can convert: 0001-01-01 to 9999-12-31.
    private const long MinSeconds = -62_135_596_800;
    private const long MaxSeconds = 253_402_300_799;

    // Which payload each event type may carry; any other payload is a mistake worth reporting.
    private static readonly Dictionary<EventType, Event.DetailOneofCase> Payloads = new()
    {
        [EventType.Search] = Event.DetailOneofCase.Search,
        [EventType.ProductView] = Event.DetailOneofCase.Product,
        [EventType.AddToCart] = Event.DetailOneofCase.Cart,
        [EventType.RemoveFromCart] = Event.DetailOneofCase.Cart,
        [EventType.Purchase] = Event.DetailOneofCase.Purchase,
        [EventType.SubscriptionChange] = Event.DetailOneofCase.Subscription,
        [EventType.CallCenterContact] = Event.DetailOneofCase.CallCenter,
        [EventType.Complaint] = Event.DetailOneofCase.Complaint,
        [EventType.MessageSent] = Event.DetailOneofCase.Message,
        [EventType.MessageDelivered] = Event.DetailOneofCase.Message,
        [EventType.MessageOpened] = Event.DetailOneofCase.Message,
        [EventType.MessageClicked] = Event.DetailOneofCase.Message,
        [EventType.MessageConverted] = Event.DetailOneofCase.Message,
        [EventType.MessageBounced] = Event.DetailOneofCase.Message,
        [EventType.Unsubscribed] = Event.DetailOneofCase.Message,
        [EventType.SpamComplaint] = Event.DetailOneofCase.Message,
        [EventType.ConsentGranted] = Event.DetailOneofCase.Consent,
        [EventType.ConsentWithdrawn] = Event.DetailOneofCase.Consent,
        [EventType.TraitsSet] = Event.DetailOneofCase.Traits,
        [EventType.TimeZoneSet] = Event.DetailOneofCase.TimeZone,
        [EventType.Identify] = Event.DetailOneofCase.Identify,
    };

    /// <summary>The domain event, validated at <paramref name="now"/>; errors name fields as in the contract.</summary>
    public static (CustomerEvent? Event, List<FieldError> Errors) ToDomain(Event e, DateTime now, EventLimits limits)
    {
        var errors = new List<FieldError>();
        if (e.DetailCase != Event.DetailOneofCase.None && (!Payloads.TryGetValue(e.Type, out var allowed) || allowed != e.DetailCase))
        {
            errors.Add(new(Snake(e.DetailCase), $"is not a payload of {e.Type} events."));
        }

        var properties = Values(e.Properties, "properties", errors);
        var traits = e.Traits is null ? null : Values(e.Traits.Traits, "traits.traits", errors);
        var domain = new CustomerEvent
        {
            EventId = e.EventId,
            CustomerId = NullIfEmpty(e.CustomerId),
            AnonymousId = NullIfEmpty(e.AnonymousId),
            Type = (CustomerEventType)(int)e.Type,
            Channel = (Channel)(int)e.Channel,
            OccurredAt = e.OccurredAt is null ? now : Time(e.OccurredAt, "occurred_at", errors),
            Properties = properties,
            Traits = traits,
        };

        domain = e.DetailCase switch
        {
            Event.DetailOneofCase.Search => domain with { Query = e.Search.Query },
            Event.DetailOneofCase.Product => domain with
            {
                ProductId = NullIfEmpty(e.Product.ProductId),
                Category = NullIfEmpty(e.Product.Category),
                Amount = e.Product.Price?.Amount ?? 0,
                Currency = NullIfEmpty(e.Product.Price?.Currency),
            },
            Event.DetailOneofCase.Cart => domain with { Items = e.Cart.Item is null ? [] : [Line(e.Cart.Item)] },
            Event.DetailOneofCase.Purchase => domain with
            {
                OrderId = NullIfEmpty(e.Purchase.OrderId),
                Amount = e.Purchase.Total?.Amount ?? 0,
                Currency = NullIfEmpty(e.Purchase.Total?.Currency),
                Items = [.. e.Purchase.Items.Select(Line)],
                OfferId = NullIfEmpty(e.Purchase.OfferId),
            },
            Event.DetailOneofCase.Subscription => domain with
            {
                FromPlan = NullIfEmpty(e.Subscription.FromPlan),
                ToPlan = NullIfEmpty(e.Subscription.ToPlan),
                Amount = e.Subscription.MonthlyCharge?.Amount ?? 0,
                Currency = NullIfEmpty(e.Subscription.MonthlyCharge?.Currency),
            },
            Event.DetailOneofCase.CallCenter => domain with { Reason = NullIfEmpty(e.CallCenter.Reason), Resolved = e.CallCenter.Resolved },
            Event.DetailOneofCase.Complaint => domain with { Reason = NullIfEmpty(e.Complaint.Reason), Resolved = e.Complaint.Resolved },
            Event.DetailOneofCase.Message => domain with
            {
                MessageId = NullIfEmpty(e.Message.MessageId),
                CampaignId = NullIfEmpty(e.Message.CampaignId),
                DecisionId = NullIfEmpty(e.Message.DecisionId),
                OfferId = NullIfEmpty(e.Message.OfferId),
                Amount = e.Message.Value?.Amount ?? 0,
                Currency = NullIfEmpty(e.Message.Value?.Currency),
                HardBounce = e.Message.HardBounce,
            },
            Event.DetailOneofCase.Consent => domain with { Purpose = NullIfEmpty(e.Consent.Purpose) },
            Event.DetailOneofCase.TimeZone => domain with { TimeZone = e.TimeZone.TimeZone },
            Event.DetailOneofCase.Identify => domain with { LinkedAnonymousId = NullIfEmpty(e.Identify.AnonymousId) },
            _ => domain,
        };

        errors.AddRange(EventRules.Validate(domain, now, limits));
        return errors.Count == 0 ? (domain, errors) : (null, errors);
    }

    /// <summary>A typed value from the contract, or null (with an error) when none of its kinds is set.</summary>
    public static TraitValue? ToTraitValue(Value value, string field, List<FieldError> errors)
    {
        switch (value.KindCase)
        {
            case Value.KindOneofCase.StringValue:
                return TraitValue.Of(value.StringValue);
            case Value.KindOneofCase.IntValue:
                return TraitValue.Of(value.IntValue);
            case Value.KindOneofCase.DoubleValue:
                return TraitValue.Of(value.DoubleValue);
            case Value.KindOneofCase.BoolValue:
                return TraitValue.Of(value.BoolValue);
            case Value.KindOneofCase.TimestampValue:
                return TraitValue.Of(Time(value.TimestampValue, field, errors));
            default:
                errors.Add(new(field, "has no value (set one of string_value, int_value, double_value, bool_value, timestamp_value)."));
                return null;
        }
    }

    private static Dictionary<string, TraitValue>? Values(Google.Protobuf.Collections.MapField<string, Value> values, string field, List<FieldError> errors)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var result = new Dictionary<string, TraitValue>(values.Count, StringComparer.Ordinal);
        foreach (var (name, value) in values)
        {
            if (ToTraitValue(value, $"{field}[{name}]", errors) is { } mapped)
            {
                result[name] = mapped;
            }
        }

        return result;
    }

    private static DateTime Time(Timestamp timestamp, string field, List<FieldError> errors)
    {
        // Timestamp.ToDateTime throws outside 0001..9999 or for bad nanos; report instead.
        if (timestamp.Nanos is < 0 or > 999_999_999 || timestamp.Seconds is < MinSeconds or > MaxSeconds)
        {
            errors.Add(new(field, "is not a valid timestamp."));
            return DateTime.UnixEpoch;
        }

        return timestamp.ToDateTime();
    }

    private static LineItem Line(V1.LineItem item) => new(item.ProductId, item.Quantity, item.UnitPrice?.Amount ?? 0);

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string Snake(Event.DetailOneofCase detail) => Event.Descriptor.Oneofs[0].Fields
        .FirstOrDefault(f => f.FieldNumber == (int)detail)?.Name ?? detail.ToString();
}
