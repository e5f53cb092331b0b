using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Products;
using Personalization.V1;
using LineItem = Personalization.V1.LineItem;
using Value = Personalization.V1.Value;

namespace Personalization.Cli.Retail;

/// <summary>
/// Imports the retail data through the public API, as a shop would: the products (ProductService
/// ImportProducts, in CSV chunks), each customer's country (a TRAITS_SET event at their first
/// purchase) and every purchase with its lines (EventService TrackBatch). Event ids are stable, so
/// importing again changes nothing.
/// </summary>
public static class RetailImporter
{
    /// <summary>Products per ImportProducts call.</summary>
    public const int ProductsPerCall = 5000;

    /// <summary>Events per TrackBatch call.</summary>
    public const int EventsPerBatch = 200;

    /// <summary>Imports the lines; reports progress after each call.</summary>
    public static async Task<RetailImportSummary> ImportAsync(GrpcChannel channel, IReadOnlyList<RetailLine> lines, Action<string>? progress, CancellationToken cancellationToken)
    {
        var products = new ProductService.ProductServiceClient(channel);
        var events = new EventService.EventServiceClient(channel);
        int created = 0, updated = 0, accepted = 0, duplicates = 0, rejected = 0;

        var catalog = RetailData.Products(lines);
        foreach (var chunk in catalog.Chunk(ProductsPerCall))
        {
            var csv = string.Concat(chunk.Select(p => CsvRecords.Line([p.ProductId, p.Name, p.Category, p.Price.ToString("R", System.Globalization.CultureInfo.InvariantCulture), "true", string.Join(';', p.Tags)])).Prepend(CsvRecords.Line(ProductCsv.Columns)));
            var answer = await products.ImportProductsAsync(new ImportProductsRequest { Csv = csv }, cancellationToken: cancellationToken);
            (created, updated) = (created + answer.Created, updated + answer.Updated);
            progress?.Invoke($"products: {created + updated} of {catalog.Count}");
        }

        var customers = lines.GroupBy(l => l.CustomerId, StringComparer.Ordinal).Select(g => Country(g.Key, g.First())).ToList();
        var purchases = RetailEvents.Purchases(lines).Select(Purchase).ToList();
        foreach (var batch in customers.Concat(purchases).Chunk(EventsPerBatch))
        {
            var request = new TrackBatchRequest();
            request.Events.AddRange(batch);
            var answer = await events.TrackBatchAsync(request, cancellationToken: cancellationToken);
            (accepted, duplicates, rejected) = (accepted + answer.Accepted, duplicates + answer.Duplicates, rejected + answer.Rejected.Count);
            progress?.Invoke($"events: {accepted + duplicates + rejected} of {customers.Count + purchases.Count}");
        }

        return new RetailImportSummary(catalog.Count, created, updated, customers.Count, purchases.Count, accepted, duplicates, rejected);
    }

    private static Event Country(string customerId, RetailLine first)
    {
        var traits = new TraitsDetail();
        traits.Traits["country"] = new Value { StringValue = first.Country };
        return new Event
        {
            EventId = $"retail-customer-{customerId}",
            CustomerId = customerId,
            Type = EventType.TraitsSet,
            OccurredAt = Timestamp.FromDateTime(first.At),
            Traits = traits,
        };
    }

    private static Event Purchase(CustomerEvent purchase)
    {
        var detail = new PurchaseDetail { OrderId = purchase.OrderId, Total = new Money { Amount = purchase.Amount, Currency = purchase.Currency } };
        detail.Items.AddRange(purchase.Items!.Select(i => new LineItem { ProductId = i.ProductId, Quantity = i.Quantity, UnitPrice = new Money { Amount = i.UnitPrice, Currency = purchase.Currency } }));
        return new Event
        {
            EventId = purchase.EventId,
            CustomerId = purchase.CustomerId,
            Type = EventType.Purchase,
            OccurredAt = Timestamp.FromDateTime(purchase.OccurredAt),
            Purchase = detail,
        };
    }
}
