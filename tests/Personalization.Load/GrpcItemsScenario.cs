using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Personalization.V1;

namespace Personalization.Load;

/// <summary>
/// Decide for one placement with offers and 10 recommended items (issue 18's target: p99 at most 20 ms at half of
/// peak): a product catalog of <see cref="ItemProducts"/>, shoppers seeded as in the gRPC scenarios (their views and
/// purchases feed the item statistics), ten offers for the placement whose content renders the items; then the
/// concurrency sweep, each level next to the same-run Ping ceiling, and a paced run at half the peak, with
/// p50/p99/p99.9.
/// </summary>
public sealed partial class GrpcScenarios
{
    private const int ItemProducts = 500;
    private const string ItemPlacement = "pdp-below";

    /// <summary>Runs the decide-with-items steps on the first storage of the options.</summary>
    public async Task<Dictionary<string, object>> RunItemsAsync()
    {
        await using var azurite = LoadAzurite.Create();
        await azurite.InitializeAsync();
        _storage = options.Storages[0];
        await using var server = await LoadServer.StartAsync(azurite, durable: _storage == "azurite", $"items-{_storage}-{_run}", $"qi{_storage}{_run}");
        var ping = new PingService.PingServiceClient(server.Invoker);
        var decisions = new DecisionService.DecisionServiceClient(server.Invoker);
        var payload = ByteString.CopyFrom(new byte[128]);

        await CreateItemOffersAsync(new OfferService.OfferServiceClient(server.Invoker));
        var products = new ProductService.ProductServiceClient(server.Invoker);
        for (var i = 0; i < ItemProducts; i++)
        {
            await products.UpsertProductAsync(new UpsertProductRequest { Product = new Product { ProductId = $"p-{i}", Name = $"Product {i}", Category = Categories[i % Categories.Length], Price = 5 + i % 50 } });
        }

        var clock = Stopwatch.StartNew();
        var seeded = await SeedAsync(new EventService.EventServiceClient(server.Invoker), options.Customers);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {options.Customers:N0} customers ({seeded:N0} events) and {ItemProducts} products in {clock.Elapsed.TotalSeconds:0.0} s"));
        await Task.Delay(TimeSpan.FromSeconds(2)); // the silo's item signals flushed, the item graph refreshed

        Task<int> Ping(int worker, long sequence) => Once(ping.PingAsync(new PingRequest { Payload = payload }).ResponseAsync);
        Task<int> Decide(int worker, long sequence) => Once(decisions.DecideAsync(ItemsRequest(RandomCustomer())).ResponseAsync);
        var first = await decisions.DecideAsync(ItemsRequest(RandomCustomer()));
        _facts["items_per_placement_checked"] = first.PlacementItems.Sum(p => p.Items.Count);

        Row? peak = null;
        foreach (var concurrency in options.Concurrency)
        {
            var ceiling = await RunAsync(server, "ceiling", "Ping", concurrency, Ping, "calls/s", null);
            var decide = await RunAsync(server, "items", "decide: 1 placement, 10 offers, 10 items", concurrency, Decide, "calls/s", ceiling.Run.CallsPerSecond);
            _facts[string.Create(CultureInfo.InvariantCulture, $"{_storage}_items_c{concurrency}_p999_ms")] = Math.Round(decide.Run.Latencies.Percentile(99.9), 2);
            if (peak is null || decide.Run.CallsPerSecond > peak.Run.CallsPerSecond)
            {
                peak = decide;
            }
        }

        var half = peak!.Run.CallsPerSecond / 2;
        server.Meter.Start();
        _client.Start();
        var paced = await Measure.PacedAsync(half, options.StepDuration * 2.5, Decide);
        Add(new Row("items", string.Create(CultureInfo.InvariantCulture, $"paced at half of peak ({half:N0}/s)"), 0, paced, "calls/s", server.Meter.CoresSinceStart(), _client.CoresSinceStart(), null));
        _facts[$"{_storage}_items_paced_p50_ms"] = Math.Round(paced.Latencies.Percentile(50), 2);
        _facts[$"{_storage}_items_paced_p99_ms"] = Math.Round(paced.Latencies.Percentile(99), 2);
        _facts[$"{_storage}_items_paced_p999_ms"] = Math.Round(paced.Latencies.Percentile(99.9), 2);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"items paced at {half:N0}/s: p50 {paced.Latencies.Percentile(50):0.00} p99 {paced.Latencies.Percentile(99):0.00} p99.9 {paced.Latencies.Percentile(99.9):0.00} ms (target p99 <= 20 ms)"));

        return new Dictionary<string, object>
        {
            ["harness"] = "tests/Personalization.Load items",
            ["date_utc"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
            ["cores"] = Environment.ProcessorCount,
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["customers"] = options.Customers,
            ["products"] = ItemProducts,
            ["offers_scored_per_decide"] = Offers,
            ["items_per_decide"] = 10,
            ["facts"] = _facts,
            ["runs"] = _rows.Select(ToJson).ToList(),
        };
    }

    // A product page's slot below the product: a random product in view, 10 items, the offers' content renders them.
    private static DecideRequest ItemsRequest(string customer) => new()
    {
        CustomerId = customer,
        Context = new DecisionContext
        {
            Mode = DecisionMode.Inbound,
            Channels = { Channel.Web },
            Placement = ItemPlacement,
            Page = "/product",
            Device = "mobile",
            ProductId = $"p-{Random.Shared.Next(ItemProducts)}",
            ItemCount = 10,
        },
    };

    private static async Task CreateItemOffersAsync(OfferService.OfferServiceClient offers)
    {
        for (var i = 0; i < Offers; i++)
        {
            var offer = new Offer
            {
                OfferId = $"items-{i}",
                Name = $"Items offer {i}",
                Type = OfferType.Discount,
                Value = 5 + i,
                Reward = 2 + i % 5,
                Difficulty = 5 + 2 * i,
                DurationDays = 7,
                Channels = { Channel.Web },
                BusinessWeight = 1,
            };
            offer.Placements.Add(ItemPlacement);
            offer.Contents.Add(new OfferContent { Channel = Channel.Web, Template = "<ul>{% for item in items %}<li>{{ item.name }} {{ item.price }}</li>{% endfor %}</ul>" });
            await offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer });
        }
    }
}
