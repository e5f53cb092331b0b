using Personalization.Decisioning.Customers;
using static Personalization.Decisioning.Tests.Customers.Events;

namespace Personalization.Decisioning.Tests.Customers;

public sealed class EventRulesTests
{
    private static readonly EventLimits Limits = new();

    private static List<string> Fields(CustomerEvent e) => [.. EventRules.Validate(e, T0, Limits).Select(error => error.Field)];

    [Fact]
    public void AWellFormedPurchasePasses()
    {
        Assert.Empty(Fields(Purchase(T0, 12.5) with { Items = [new LineItem("p1", 1, 12.5)] }));
    }

    [Fact]
    public void MissingIdsAreNamed()
    {
        var e = Of(CustomerEventType.PageView, T0) with { EventId = "", CustomerId = null };

        Assert.Equal(["event_id", "customer_id"], Fields(e));
    }

    [Fact]
    public void AnUnknownEventTypeIsNamed()
    {
        Assert.Equal(["type"], Fields(Of((CustomerEventType)99, T0)));
        Assert.Equal(["type"], Fields(Of(CustomerEventType.Unspecified, T0)));
    }

    [Fact]
    public void MessageEventsNeedAChannel()
    {
        Assert.Equal(["channel"], Fields(Of(CustomerEventType.MessageOpened, T0)));
    }

    [Fact]
    public void ANegativeAmountIsNamed()
    {
        Assert.Equal(["purchase.total.amount"], Fields(Purchase(T0, -1)));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonFiniteNumbersAreNamed(double bad)
    {
        Assert.Equal(["purchase.total.amount"], Fields(Purchase(T0, bad)));
        Assert.Equal(["traits.traits[score]"], Fields(Traits(T0, ("score", TraitValue.Of(bad)))));
    }

    [Fact]
    public void AFarFutureTimeIsRejectedButSmallSkewIsNot()
    {
        Assert.Equal(["occurred_at"], Fields(Of(CustomerEventType.PageView, T0.AddMinutes(6))));
        Assert.Empty(Fields(Of(CustomerEventType.PageView, T0.AddMinutes(4))));
    }

    [Fact]
    public void TooManyPropertiesAreRejected()
    {
        var properties = Enumerable.Range(0, 51).ToDictionary(i => $"p{i}", i => TraitValue.Of((long)i));

        Assert.Equal(["properties"], Fields(Of(CustomerEventType.PageView, T0) with { Properties = properties }));
    }

    [Fact]
    public void PurchaseNeedsACurrencyCode()
    {
        Assert.Equal(["purchase.total.currency"], Fields(Purchase(T0, 10) with { Currency = "euro" }));
        Assert.Equal(["purchase.total.currency"], Fields(Purchase(T0, 10) with { Currency = null }));
    }

    [Fact]
    public void CartEventsNeedAnItemWithAPositiveQuantity()
    {
        Assert.Equal(["cart.item"], Fields(Of(CustomerEventType.AddToCart, T0)));
        Assert.Equal(["cart.item.quantity"], Fields(Cart(CustomerEventType.AddToCart, T0, "p1", 0, 5)));
    }

    [Fact]
    public void TraitNamesAreLowerSnakeCase()
    {
        Assert.Equal(["traits.traits[Plan]"], Fields(Traits(T0, ("Plan", TraitValue.Of("gold")))));
    }

    [Fact]
    public void AnUnknownTimeZoneIsNamed()
    {
        Assert.Equal(["time_zone.time_zone"], Fields(Of(CustomerEventType.TimeZoneSet, T0) with { TimeZone = "Mars/Olympus" }));
        Assert.Empty(Fields(Of(CustomerEventType.TimeZoneSet, T0) with { TimeZone = "Europe/Paris" }));
    }

    [Fact]
    public void IdentifyNeedsBothIds()
    {
        var e = Of(CustomerEventType.Identify, T0) with { CustomerId = null, AnonymousId = "v1" };

        Assert.Equal(["customer_id", "identify.anonymous_id"], Fields(e));
    }

    [Fact]
    public void TheAnonymousPrefixIsReserved()
    {
        Assert.Equal(["customer_id"], Fields(Of(CustomerEventType.PageView, T0) with { CustomerId = "anon:x" }));
    }
}
