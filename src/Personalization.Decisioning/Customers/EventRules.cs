using System.Text.RegularExpressions;

namespace Personalization.Decisioning.Customers;

/// <summary>
/// Validates an event before anything is applied: every problem is reported with the field (named as
/// in the public contract) and the reason, so a rejected event changes no state.
/// </summary>
public static partial class EventRules
{
    private static readonly HashSet<CustomerEventType> NeedsChannel =
    [
        CustomerEventType.MessageSent, CustomerEventType.MessageDelivered, CustomerEventType.MessageOpened,
        CustomerEventType.MessageClicked, CustomerEventType.MessageConverted, CustomerEventType.MessageBounced,
        CustomerEventType.Unsubscribed, CustomerEventType.SpamComplaint,
        CustomerEventType.ConsentGranted, CustomerEventType.ConsentWithdrawn,
    ];

    /// <summary>Every problem with <paramref name="e"/> at <paramref name="now"/>; empty when it can be applied.</summary>
    public static List<FieldError> Validate(CustomerEvent e, DateTime now, EventLimits limits)
    {
        var errors = new List<FieldError>();
        Id(errors, "event_id", e.EventId, limits, required: true);
        Id(errors, "customer_id", e.CustomerId, limits, required: false);
        Id(errors, "anonymous_id", e.AnonymousId, limits, required: false);
        if (string.IsNullOrEmpty(e.CustomerId) && string.IsNullOrEmpty(e.AnonymousId))
        {
            errors.Add(new("customer_id", "customer_id or anonymous_id is required."));
        }

        if (e.CustomerId is { } customerId && CustomerKeys.IsAnonymous(customerId))
        {
            errors.Add(new("customer_id", $"must not start with '{CustomerKeys.AnonymousPrefix}' (reserved for anonymous visitors; use anonymous_id)."));
        }

        if (e.Type == CustomerEventType.Unspecified || !Enum.IsDefined(e.Type))
        {
            errors.Add(new("type", $"unknown event type {(int)e.Type}."));
        }

        if (!Enum.IsDefined(e.Channel))
        {
            errors.Add(new("channel", $"unknown channel {(int)e.Channel}."));
        }
        else if (e.Channel == Channel.Unspecified && NeedsChannel.Contains(e.Type))
        {
            errors.Add(new("channel", $"is required for {e.Type} events."));
        }

        if (e.OccurredAt > now + limits.MaxFutureSkew)
        {
            errors.Add(new("occurred_at", $"{e.OccurredAt:O} is in the future (more than {limits.MaxFutureSkew.TotalMinutes:0} minutes ahead of the server clock)."));
        }
        else if (e.OccurredAt < limits.Earliest)
        {
            errors.Add(new("occurred_at", $"{e.OccurredAt:O} is before {limits.Earliest:yyyy-MM-dd}."));
        }

        Values(errors, "properties", e.Properties, limits.MaxProperties, limits);
        Payload(errors, e, limits);
        return errors;
    }

    private static void Payload(List<FieldError> errors, CustomerEvent e, EventLimits limits)
    {
        switch (e.Type)
        {
            case CustomerEventType.Purchase:
                Money(errors, "purchase.total", e.Amount, e.Currency, required: true);
                Id(errors, "purchase.order_id", e.OrderId, limits, required: false);
                if (e.Items is { Count: > 0 } items)
                {
                    if (items.Count > limits.MaxItems)
                    {
                        errors.Add(new("purchase.items", $"at most {limits.MaxItems} lines, got {items.Count}."));
                    }

                    for (var i = 0; i < items.Count; i++)
                    {
                        Line(errors, $"purchase.items[{i}]", items[i], limits);
                    }
                }

                break;
            case CustomerEventType.AddToCart or CustomerEventType.RemoveFromCart:
                if (e.Items is not [var item])
                {
                    errors.Add(new("cart.item", $"is required for {e.Type} events."));
                }
                else
                {
                    Line(errors, "cart.item", item, limits);
                }

                break;
            case CustomerEventType.MessageConverted when e.Currency is not null || e.Amount != 0:
                Money(errors, "message.value", e.Amount, e.Currency, required: false);
                break;
            case CustomerEventType.ConsentGranted or CustomerEventType.ConsentWithdrawn:
                if (e.Purpose is { Length: > 0 } purpose && !SnakeCase().IsMatch(purpose))
                {
                    errors.Add(new("consent.purpose", $"'{purpose}' must be lower_snake_case (e.g. marketing)."));
                }

                break;
            case CustomerEventType.TraitsSet:
                if (e.Traits is not { Count: > 0 })
                {
                    errors.Add(new("traits.traits", "at least one trait is required for TRAITS_SET events."));
                }

                Values(errors, "traits.traits", e.Traits, limits.MaxTraits, limits);
                break;
            case CustomerEventType.TimeZoneSet:
                if (TimeZones.Find(e.TimeZone) is null)
                {
                    errors.Add(new("time_zone.time_zone", $"'{e.TimeZone}' is not an IANA time zone id (e.g. Europe/Paris)."));
                }

                break;
            case CustomerEventType.Identify:
                if (string.IsNullOrEmpty(e.CustomerId))
                {
                    errors.Add(new("customer_id", "is required for IDENTIFY events (the known customer)."));
                }

                Id(errors, "identify.anonymous_id", e.LinkedAnonymousId, limits, required: true);
                break;
            case CustomerEventType.ProductView:
                Id(errors, "product.product_id", e.ProductId, limits, required: false);
                break;
        }
    }

    private static void Line(List<FieldError> errors, string field, LineItem item, EventLimits limits)
    {
        Id(errors, $"{field}.product_id", item.ProductId, limits, required: true);
        if (item.Quantity < 1)
        {
            errors.Add(new($"{field}.quantity", $"must be at least 1, got {item.Quantity}."));
        }

        Amount(errors, $"{field}.unit_price.amount", item.UnitPrice);
    }

    private static void Money(List<FieldError> errors, string field, double amount, string? currency, bool required)
    {
        Amount(errors, $"{field}.amount", amount);
        if (currency is null or "")
        {
            if (required)
            {
                errors.Add(new($"{field}.currency", "is required (ISO 4217, e.g. EUR)."));
            }
        }
        else if (!CurrencyCode().IsMatch(currency))
        {
            errors.Add(new($"{field}.currency", $"'{currency}' is not an ISO 4217 code (three capital letters, e.g. EUR)."));
        }
    }

    private static void Amount(List<FieldError> errors, string field, double amount)
    {
        if (!double.IsFinite(amount))
        {
            errors.Add(new(field, $"must be a finite number, got {amount}."));
        }
        else if (amount < 0)
        {
            errors.Add(new(field, $"must not be negative, got {amount}."));
        }
    }

    private static void Values(List<FieldError> errors, string field, Dictionary<string, TraitValue>? values, int max, EventLimits limits)
    {
        if (values is null)
        {
            return;
        }

        if (values.Count > max)
        {
            errors.Add(new(field, $"at most {max} entries, got {values.Count}."));
            return;
        }

        foreach (var (name, value) in values)
        {
            if (!SnakeCase().IsMatch(name) || name.Length > 64)
            {
                errors.Add(new($"{field}[{name}]", "names are lower_snake_case, 1 to 64 characters."));
            }
            else if (value.Kind == TraitKind.Real && !double.IsFinite(value.Real))
            {
                errors.Add(new($"{field}[{name}]", $"must be a finite number, got {value.Real}."));
            }
            else if (value.Kind == TraitKind.Text && (value.Text?.Length ?? 0) > limits.MaxTextLength)
            {
                errors.Add(new($"{field}[{name}]", $"text is at most {limits.MaxTextLength} characters."));
            }
        }
    }

    private static void Id(List<FieldError> errors, string field, string? value, EventLimits limits, bool required)
    {
        if (string.IsNullOrEmpty(value))
        {
            if (required)
            {
                errors.Add(new(field, "is required."));
            }
        }
        else if (Ids.Problem(value, limits.MaxIdLength) is { } problem)
        {
            errors.Add(new(field, problem));
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CurrencyCode();
}
