using Personalization.Decisioning.Customers;

namespace Personalization.Cli.Retail;

/// <summary>The data's invoices as purchase events, as the service takes them (one event per invoice, or per 200 lines of a larger one).</summary>
public static class RetailEvents
{
    /// <summary>Most lines in one purchase event (the service's limit).</summary>
    public const int LinesPerEvent = 200;

    /// <summary>Purchase events in time order; event ids are stable, so importing twice changes nothing.</summary>
    public static IEnumerable<CustomerEvent> Purchases(IEnumerable<RetailLine> lines)
    {
        foreach (var invoice in lines.GroupBy(l => l.InvoiceNo, StringComparer.Ordinal).OrderBy(g => g.First().At).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var first = invoice.First();
            var products = invoice.GroupBy(l => l.StockCode, StringComparer.Ordinal).Select(g => new LineItem(g.Key, g.Sum(l => l.Quantity), g.First().UnitPrice)).ToList();
            for (var part = 0; part * LinesPerEvent < products.Count; part++)
            {
                var items = products.Skip(part * LinesPerEvent).Take(LinesPerEvent).ToList();
                var orderId = part == 0 ? invoice.Key : $"{invoice.Key}-{part + 1}";
                yield return new CustomerEvent
                {
                    EventId = $"retail-{orderId}",
                    CustomerId = first.CustomerId,
                    Type = CustomerEventType.Purchase,
                    OccurredAt = first.At,
                    Amount = Math.Round(items.Sum(i => i.Quantity * i.UnitPrice), 2),
                    Currency = "GBP",
                    OrderId = orderId,
                    Items = items,
                };
            }
        }
    }
}
