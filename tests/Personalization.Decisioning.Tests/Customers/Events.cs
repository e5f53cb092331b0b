using Personalization.Decisioning.Customers;

namespace Personalization.Decisioning.Tests.Customers;

/// <summary>Builds events for tests: a fixed clock and readable one-liners.</summary>
internal static class Events
{
    /// <summary>Monday 2026-11-16 09:00 UTC.</summary>
    public static readonly DateTime T0 = new(2026, 11, 16, 9, 0, 0, DateTimeKind.Utc);

    private static int _next;

    public static CustomerEvent Of(CustomerEventType type, DateTime at, Channel channel = Channel.Unspecified, string? id = null) => new()
    {
        EventId = id ?? $"e{Interlocked.Increment(ref _next)}",
        CustomerId = "c1",
        Type = type,
        Channel = channel,
        OccurredAt = at,
    };

    public static CustomerEvent Sent(Channel channel, DateTime at) => Of(CustomerEventType.MessageSent, at, channel);

    public static CustomerEvent Purchase(DateTime at, double amount, string? id = null) =>
        Of(CustomerEventType.Purchase, at, id: id) with { Amount = amount, Currency = "EUR", OrderId = $"o-{amount}" };

    public static CustomerEvent Cart(CustomerEventType type, DateTime at, string product, int quantity, double price) =>
        Of(type, at) with { Items = [new LineItem(product, quantity, price)] };

    public static CustomerEvent Traits(DateTime at, params (string Name, TraitValue Value)[] traits) =>
        Of(CustomerEventType.TraitsSet, at) with { Traits = traits.ToDictionary(t => t.Name, t => t.Value) };

    public static CustomerEvent Consent(bool granted, Channel channel, DateTime at, string? purpose = null) =>
        Of(granted ? CustomerEventType.ConsentGranted : CustomerEventType.ConsentWithdrawn, at, channel) with { Purpose = purpose };

    public static CustomerState Apply(params CustomerEvent[] events)
    {
        var state = new CustomerState();
        foreach (var e in events)
        {
            CustomerEvents.Apply(state, e);
        }

        return state;
    }
}
