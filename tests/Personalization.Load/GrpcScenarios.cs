using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Load;

/// <summary>How big and how long the gRPC scenarios are.</summary>
public sealed record GrpcOptions(int Customers, int ColdCustomers, TimeSpan StepDuration, int[] Concurrency, string[] Storages, bool TrackOnly = false)
{
    public static GrpcOptions Default { get; } = new(100_000, 5_000, TimeSpan.FromSeconds(8), [1, 4, 16, 64, 256], ["memory", "azurite"]);
}

/// <summary>One line of the report: a measured run and its same-run ceiling.</summary>
public sealed record Row(string Scenario, string Variant, int Concurrency, RunResult Run, string Unit, double ServerCores, double ClientCores, double? Ceiling)
{
    /// <summary>Where grain state lived: memory or azurite.</summary>
    public string Storage { get; init; } = "";

    /// <summary>Requests the server sent to Azure Storage per second during the run (every service, retries included).</summary>
    public double StorageRequestsPerSecond { get; init; }

    public double Throughput => Unit == "calls/s" ? Run.CallsPerSecond : Run.ItemsPerSecond;

    public double? Ratio => Ceiling is { } c && c > 0 ? Run.CallsPerSecond / c : null;
}

/// <summary>
/// The website's and app's view of the service, over real gRPC on loopback against a real server
/// process: decide (a concurrency sweep, each level next to the same-run <c>Ping</c> ceiling at the
/// same concurrency, then a paced run at half the peak), track (unary, batched, streamed), a
/// website's mix, cold customers loaded from Azurite, and resident memory per active customer.
/// </summary>
public sealed partial class GrpcScenarios(GrpcOptions options, TextWriter log)
{
    private const int Offers = 10;
    private static readonly string[] Zones = ["Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney"];
    private static readonly string[] Categories = ["shoes", "coats", "bags", "hats", "electronics", "books"];

    private readonly List<Row> _rows = [];
    private readonly Dictionary<string, object> _facts = [];
    private readonly ProcessMeter _client = new(Environment.ProcessId);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private string _storage = "memory";

    public async Task<Dictionary<string, object>> RunAsync()
    {
        await using var azurite = LoadAzurite.Create();
        await azurite.InitializeAsync();
        _facts["azurite_data"] = LoadAzurite.OnDisk ? "disk" : "memory";

        // The same warm scenarios with grain state in memory and on Azurite (the change log and
        // snapshots), side by side: what durable storage costs.
        foreach (var storage in options.Storages)
        {
            _storage = storage;
            await using var server = await LoadServer.StartAsync(azurite, durable: storage == "azurite", $"load-{storage}-{_run}", $"q{storage}{_run}");
            await WarmScenariosAsync(server);
        }

        _storage = "azurite";
        if (!options.TrackOnly)
        {
            await ColdScenarioAsync(azurite);
        }

        return new Dictionary<string, object>
        {
            ["harness"] = "tests/Personalization.Load grpc",
            ["date_utc"] = DateTime.UtcNow.ToString("u", CultureInfo.InvariantCulture),
            ["cores"] = Environment.ProcessorCount,
            ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            ["customers"] = options.Customers,
            ["offers_scored_per_decide"] = Offers,
            ["facts"] = _facts,
            ["runs"] = _rows.Select(ToJson).ToList(),
        };
    }

    private async Task WarmScenariosAsync(LoadServer server)
    {
        var ping = new PingService.PingServiceClient(server.Invoker);
        var decisions = new DecisionService.DecisionServiceClient(server.Invoker);
        var events = new EventService.EventServiceClient(server.Invoker);
        var payload = ByteString.CopyFrom(new byte[128]);

        await CreateOffersAsync(new OfferService.OfferServiceClient(server.Invoker));
        await Measure.ClosedLoopAsync(16, TimeSpan.FromSeconds(2), async (_, _) => { await ping.PingAsync(new PingRequest { Payload = payload }); return 1; });
        var baseline = server.Meter.ResidentBytes();

        var clock = Stopwatch.StartNew();
        var requestsBefore = await StorageRequestsAsync(server);
        var seeded = await SeedAsync(events, options.Customers);
        _facts[$"{_storage}_seed_storage_requests_per_second"] = Math.Round((await StorageRequestsAsync(server) - requestsBefore) / clock.Elapsed.TotalSeconds);
        _facts[$"{_storage}_seed_events_per_second"] = Math.Round(seeded / clock.Elapsed.TotalSeconds);
        _facts[$"{_storage}_seed_seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {options.Customers:N0} customers ({seeded:N0} events) in {clock.Elapsed.TotalSeconds:0.0} s"));
        await Task.Delay(TimeSpan.FromSeconds(6)); // a settled heap, so the figure is the resting state
        var seededResident = server.Meter.ResidentBytes();
        _facts[$"{_storage}_resident_bytes_per_customer_after_seeding"] = (seededResident - baseline) / options.Customers;

        Task<int> Ping(int worker, long sequence) => Once(ping.PingAsync(new PingRequest { Payload = payload }).ResponseAsync);
        Task<int> PingGrain(int worker, long sequence) => Once(ping.PingAsync(new PingRequest { Payload = payload, GrainKey = RandomCustomer() }).ResponseAsync);
        Task<int> Decide(int worker, long sequence) => Once(decisions.DecideAsync(DecideRequest(RandomCustomer())).ResponseAsync);

        // The sweep: at each concurrency, the ceiling and then decide, back to back.
        Row? peak = null;
        foreach (var concurrency in options.TrackOnly ? [] : options.Concurrency)
        {
            var ceiling = await RunAsync(server, "ceiling", "Ping", concurrency, Ping, "calls/s", null);
            await RunAsync(server, "ceiling", "Ping + one empty grain call", concurrency, PingGrain, "calls/s", ceiling.Run.CallsPerSecond);
            var decide = await RunAsync(server, "decide", "churn + 10 offers", concurrency, Decide, "calls/s", ceiling.Run.CallsPerSecond);
            if (peak is null || decide.Run.CallsPerSecond > peak.Run.CallsPerSecond)
            {
                peak = decide;
            }
        }

        if (options.TrackOnly)
        {
            await TrackAsync(server, events);
            return;
        }

        // Half the peak, paced: the latency a site sees with headroom.
        var half = peak!.Run.CallsPerSecond / 2;
        server.Meter.Start();
        _client.Start();
        var pacedRequests = await StorageRequestsAsync(server);
        var pacedClock = Stopwatch.StartNew();
        var paced = await Measure.PacedAsync(half, options.StepDuration * 2.5, Decide);
        var pacedRate = (await StorageRequestsAsync(server) - pacedRequests) / pacedClock.Elapsed.TotalSeconds;
        Add(new Row("decide", string.Create(CultureInfo.InvariantCulture, $"paced at half of peak ({half:N0}/s)"), 0, paced, "calls/s", server.Meter.CoresSinceStart(), _client.CoresSinceStart(), null) { StorageRequestsPerSecond = pacedRate });
        _facts[$"{_storage}_paced_decide_start_lag_p50_ms"] = Math.Round(paced.StartLag!.Percentile(50), 2);
        _facts[$"{_storage}_paced_decide_start_lag_p99_ms"] = Math.Round(paced.StartLag.Percentile(99), 2);

        await TrackAsync(server, events);
        await MixedAsync(server, events, decisions);

        var resident = server.Meter.ResidentBytes();
        _facts[$"{_storage}_server_resident_mb_before_seeding"] = baseline / (1024 * 1024);
        _facts[$"{_storage}_server_resident_mb_after"] = resident / (1024 * 1024);
        _facts[$"{_storage}_server_peak_resident_mb"] = server.Meter.PeakResidentBytes() / (1024 * 1024);
        _facts[$"{_storage}_resident_bytes_per_customer_after_load"] = (resident - baseline) / options.Customers;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory: {(seededResident - baseline) / options.Customers:N0} resident bytes per customer after seeding, {(resident - baseline) / options.Customers:N0} after the load (decisions remembered)"));
    }

    // Track: unary, batches of 100, streams of 1,000. Batches and streams at two concurrencies: with
    // durable storage each call waits for its customers' log appends, so a few callers in flight
    // measure the append latency and more of them the throughput.
    private async Task TrackAsync(LoadServer server, EventService.EventServiceClient events)
    {
        await RunAsync(server, "track", "unary", 64, (_, s) => Once(events.TrackAsync(new TrackRequest { Event = PageView(RandomCustomer(), NextEventId()) }).ResponseAsync), "events/s", null);
        foreach (var concurrency in new[] { 8, 32 })
        {
            await RunAsync(server, "track", "batch of 100", concurrency, async (_, s) =>
            {
                var batch = new TrackBatchRequest();
                for (var i = 0; i < 100; i++)
                {
                    batch.Events.Add(PageView(RandomCustomer(), NextEventId()));
                }

                var answer = await events.TrackBatchAsync(batch);
                return answer.Accepted;
            }, "events/s", null);
        }

        foreach (var concurrency in new[] { 4, 16 })
        {
            await RunAsync(server, "track", "stream of 1,000", concurrency, async (_, s) =>
            {
                using var stream = events.TrackStream();
                for (var i = 0; i < 1000; i++)
                {
                    await stream.RequestStream.WriteAsync(PageView(RandomCustomer(), NextEventId()));
                }

                await stream.RequestStream.CompleteAsync();
                var answer = await stream.ResponseAsync;
                return answer.Accepted;
            }, "events/s", null);
        }
    }

    // A website's mix: 70% track, 25% decide, 5% outcomes on earlier decisions.
    private async Task MixedAsync(LoadServer server, EventService.EventServiceClient events, DecisionService.DecisionServiceClient decisions)
    {
        var recent = new (string Customer, string Decision, string Offer)[1024];
        var byKind = new Dictionary<string, Latencies> { ["track"] = new(), ["decide"] = new(), ["outcome"] = new() };
        await RunAsync(server, "mixed", "70% track, 25% decide, 5% outcome", 64, async (_, s) =>
        {
            var kind = (s % 20) switch { < 14 => "track", < 19 => "decide", _ => "outcome" };
            var slot = recent[(int)(s / 20 % recent.Length)];
            if (kind == "outcome" && slot.Decision is null)
            {
                kind = "decide";
            }

            var start = Stopwatch.GetTimestamp();
            switch (kind)
            {
                case "track":
                    await events.TrackAsync(new TrackRequest { Event = PageView(RandomCustomer(), NextEventId()) });
                    break;
                case "decide":
                    var customer = RandomCustomer();
                    var answer = await decisions.DecideAsync(DecideRequest(customer));
                    if (answer.Actions.Count > 0)
                    {
                        recent[(int)(s % recent.Length)] = (customer, answer.DecisionId, answer.Actions[0].OfferId);
                    }

                    break;
                default:
                    await decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = slot.Customer, DecisionId = slot.Decision, OfferId = slot.Offer, Outcome = Outcome.Clicked, OccurredAt = Timestamp.FromDateTime(DateTime.UtcNow) });
                    break;
            }

            var elapsed = Stopwatch.GetTimestamp() - start;
            lock (byKind)
            {
                byKind[kind].Add(elapsed);
            }

            return 1;
        }, "calls/s", null);
        foreach (var (kind, latencies) in byKind)
        {
            _facts[$"{_storage}_mixed_{kind}_p50_ms"] = Math.Round(latencies.Percentile(50), 2);
            _facts[$"{_storage}_mixed_{kind}_p99_ms"] = Math.Round(latencies.Percentile(99), 2);
        }
    }

    // Customers that must be loaded from storage: seeded durably, the server killed and started
    // again on the same container, then each decided once; then once more, warm, for contrast.
    private async Task ColdScenarioAsync(AzuriteFixture azurite)
    {
        var container = $"cold-{_run}";
        await using (var first = await LoadServer.StartAsync(azurite, durable: true, container, $"qc{_run}"))
        {
            await CreateOffersAsync(new OfferService.OfferServiceClient(first.Invoker));
            await SeedAsync(new EventService.EventServiceClient(first.Invoker), options.ColdCustomers);
        }

        await using var server = await LoadServer.StartAsync(azurite, durable: true, container, $"qc{_run}");
        var ping = new PingService.PingServiceClient(server.Invoker);
        var decisions = new DecisionService.DecisionServiceClient(server.Invoker);
        var order = Enumerable.Range(0, options.ColdCustomers).OrderBy(_ => Random.Shared.Next()).ToArray();
        const int Concurrency = 16;
        var ceiling = await RunAsync(server, "ceiling", "Ping (Azurite-backed server)", Concurrency, (_, _) => Once(ping.PingAsync(new PingRequest()).ResponseAsync), "calls/s", null);
        Task<int> Decide(int worker, long sequence) => Once(decisions.DecideAsync(DecideRequest(CustomerId(order[(sequence - 1) % order.Length]))).ResponseAsync);
        await RunAsync(server, "cold", string.Create(CultureInfo.InvariantCulture, $"first decide of {options.ColdCustomers:N0} stored customers"), Concurrency, Decide, "calls/s", ceiling.Run.CallsPerSecond, limit: options.ColdCustomers, warm: false);
        await RunAsync(server, "cold", "the same customers again (warm)", Concurrency, Decide, "calls/s", ceiling.Run.CallsPerSecond, limit: options.ColdCustomers, warm: false);
    }

    private async Task<Row> RunAsync(LoadServer server, string scenario, string variant, int concurrency, Measure.Call call, string unit, double? ceiling, long? limit = null, bool warm = true)
    {
        var warmUp = warm ? TimeSpan.FromSeconds(1) : TimeSpan.Zero;
        if (warm)
        {
            await Measure.ClosedLoopAsync(concurrency, warmUp, call);
        }

        server.Meter.Start();
        _client.Start();
        var requests = await StorageRequestsAsync(server);
        var clock = Stopwatch.StartNew();
        var run = await Measure.ClosedLoopAsync(concurrency, limit is null ? options.StepDuration : TimeSpan.FromMinutes(10), call, limit: limit);
        var rate = (await StorageRequestsAsync(server) - requests) / clock.Elapsed.TotalSeconds;
        return Add(new Row(scenario, variant, concurrency, run, unit, server.Meter.CoresSinceStart(), _client.CoresSinceStart(), ceiling) { StorageRequestsPerSecond = rate });
    }

    // Every request the server has sent to Azure Storage so far (delivery queues, change log, snapshots, membership).
    private static async Task<long> StorageRequestsAsync(LoadServer server)
    {
        var answer = await new PingService.PingServiceClient(server.Invoker).PingAsync(new PingRequest { IncludeStorageRequests = true });
        return answer.StorageRequests.Values.Sum();
    }

    private Row Add(Row row)
    {
        row = row with { Storage = _storage };
        _rows.Add(row);
        log.WriteLine(Format(row));
        return row;
    }

    /// <summary>One aligned line per run.</summary>
    public static string Format(Row row) => string.Create(CultureInfo.InvariantCulture,
        $"{row.Storage,-8}{row.Scenario,-8} {row.Variant,-46} c={row.Concurrency,-4} {row.Throughput,10:N0} {row.Unit,-8} p50 {row.Run.Latencies.Percentile(50),7:0.00} p90 {row.Run.Latencies.Percentile(90),7:0.00} p99 {row.Run.Latencies.Percentile(99),7:0.00} p99.9 {row.Run.Latencies.Percentile(99.9),7:0.00} max {row.Run.Latencies.Percentile(100),8:0.00} ms  err {row.Run.Errors,-3} server {row.ServerCores:0.00} cores  client {row.ClientCores:0.00}{(row.Ratio is { } r ? $"  {r:0.00} of ceiling" : "")}  storage {row.StorageRequestsPerSecond:N0} req/s");

    private static Dictionary<string, object?> ToJson(Row row) => new()
    {
        ["storage"] = row.Storage,
        ["scenario"] = row.Scenario,
        ["variant"] = row.Variant,
        ["concurrency"] = row.Concurrency,
        ["throughput"] = Math.Round(row.Throughput),
        ["unit"] = row.Unit,
        ["calls"] = row.Run.Calls,
        ["errors"] = row.Run.Errors,
        ["p50_ms"] = Math.Round(row.Run.Latencies.Percentile(50), 3),
        ["p90_ms"] = Math.Round(row.Run.Latencies.Percentile(90), 3),
        ["p99_ms"] = Math.Round(row.Run.Latencies.Percentile(99), 3),
        ["p99_9_ms"] = Math.Round(row.Run.Latencies.Percentile(99.9), 3),
        ["max_ms"] = Math.Round(row.Run.Latencies.Percentile(100), 3),
        ["server_cpu_cores"] = Math.Round(row.ServerCores, 2),
        ["client_cpu_cores"] = Math.Round(row.ClientCores, 2),
        ["ceiling_calls_per_second"] = row.Ceiling is { } c ? Math.Round(c) : null,
        ["ratio_to_ceiling"] = row.Ratio is { } r ? Math.Round(r, 3) : null,
        ["storage_requests_per_second"] = Math.Round(row.StorageRequestsPerSecond),
    };

    private static async Task<int> Once<T>(Task<T> call)
    {
        await call;
        return 1;
    }

    private long _events;

    // Unique across runs and warm-ups, so no tracked event is a duplicate.
    private string NextEventId() => string.Create(CultureInfo.InvariantCulture, $"e{Interlocked.Increment(ref _events)}");

    private string RandomCustomer() => CustomerId(Random.Shared.Next(options.Customers));

    private string CustomerId(int i) => $"c{_run}-{i:D7}";

    private static DecideRequest DecideRequest(string customer) => new()
    {
        CustomerId = customer,
        Context = new DecisionContext { Mode = DecisionMode.Inbound, Channels = { Channel.Web }, Placement = "home-hero", Page = "/", Device = "mobile", MaxActions = 3 },
    };

    private static async Task CreateOffersAsync(OfferService.OfferServiceClient offers)
    {
        var types = new[] { OfferType.Discount, OfferType.Bogo, OfferType.Informational, OfferType.Retention };
        for (var i = 0; i < Offers; i++)
        {
            var offer = new Offer
            {
                OfferId = $"load-{i}",
                Name = $"Offer {i}",
                Type = types[i % types.Length],
                Value = 5 + i,
                Reward = 2 + i % 5,
                Difficulty = 5 + 2 * i,
                DurationDays = 7,
                Channels = { Channel.Web, Channel.App, Channel.Email },
                BusinessWeight = 1,
            };
            await offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer });
        }
    }

    // Eight events per customer, as a returning shopper leaves them: traits, zone, consent, a
    // session, a product view, a cart add, a purchase, a page view. Batches of 1,000 events. The
    // events are durable before the answer (on Azurite: in the change log).
    private Task<long> SeedAsync(EventService.EventServiceClient events, int customers)
    {
        var at = DateTime.UtcNow.AddDays(-2);
        return Seeder.SeedAsync(events, customers, perBatch: 125, workers: 4, i => Shopper(CustomerId(i), i, at));
    }

    private static IEnumerable<Event> Shopper(string id, int i, DateTime at)
    {
        var price = new Money { Amount = 10 + i % 90, Currency = "EUR" };
        var category = Categories[i % Categories.Length];
        yield return Event(id, "traits", EventType.TraitsSet, at, Channel.Unspecified, e => e.Traits = new TraitsDetail
        {
            Traits = { ["tenure"] = new Value { IntValue = i % 72 }, ["plan"] = new Value { StringValue = i % 3 == 0 ? "gold" : "basic" }, ["city"] = new Value { StringValue = $"city-{i % 50}" } },
        });
        yield return Event(id, "zone", EventType.TimeZoneSet, at, Channel.Unspecified, e => e.TimeZone = new TimeZoneDetail { TimeZone = Zones[i % Zones.Length] });
        yield return Event(id, "consent", EventType.ConsentGranted, at, Channel.Email, e => e.Consent = new ConsentDetail { Purpose = "marketing" });
        yield return Event(id, "session", EventType.SessionStarted, at.AddMinutes(1), Channel.Web, _ => { });
        yield return Event(id, "view", EventType.ProductView, at.AddMinutes(2), Channel.Web, e => e.Product = new ProductDetail { ProductId = $"p-{i % 500}", Category = category, Price = price });
        yield return Event(id, "cart", EventType.AddToCart, at.AddMinutes(3), Channel.Web, e => e.Cart = new CartDetail { Item = new LineItem { ProductId = $"p-{i % 500}", Quantity = 1, UnitPrice = price } });
        yield return Event(id, "buy", EventType.Purchase, at.AddMinutes(4), Channel.Web, e => e.Purchase = new PurchaseDetail { OrderId = $"o-{id}", Total = price, Items = { new LineItem { ProductId = $"p-{i % 500}", Quantity = 1, UnitPrice = price } } });
        yield return Event(id, "page", EventType.PageView, at.AddMinutes(5), Channel.Web, e => e.Properties["path"] = new Value { StringValue = "/thanks" });
    }

    private static Event PageView(string customer, string id) =>
        Event(customer, id, EventType.PageView, DateTime.UtcNow, Channel.Web, e => e.Properties["path"] = new Value { StringValue = "/products" });

    private static Event Event(string customer, string id, EventType type, DateTime at, Channel channel, Action<Event> detail)
    {
        var e = new Event { EventId = $"{customer}:{id}", CustomerId = customer, Type = type, Channel = channel, OccurredAt = Timestamp.FromDateTime(at) };
        detail(e);
        return e;
    }
}
