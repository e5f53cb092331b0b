using System.Diagnostics;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Load;

/// <summary>
/// Journey entries and exits on one machine (issue 16's targets): seeds N reachable customers, activates
/// an abandoned-cart journey (ADD_TO_CART enters and waits an hour; PURCHASE exits), then sends one cart
/// event per customer through TrackBatch and reports journey entries per second (until the journey's
/// results count them all), and the exit path: PURCHASE for a sample of waiting customers, one at a
/// time, its Track latency and whether every one of them ended (EXIT_EVENT) with nothing queued — the
/// exit is applied before the Track answer, and sends are only queued when due, so "pending sends
/// cancelled" is the Track answer itself. Printed with the same-run empty-grain ceiling.
/// </summary>
public sealed class JourneyScenario(int customers, bool durable, long limit = 0)
{
    private const int ExitSample = 500;

    public async Task<Dictionary<string, object>> RunAsync(TextWriter log)
    {
        await using var azurite = LoadAzurite.Create();
        await azurite.InitializeAsync();
        var settings = TestServer.Settings(azurite);
        settings["Storage:Provider"] = durable ? "AzureBlob" : "Memory";
        await using var server = await TestServer.StartAsync(settings);
        var (events, journeys, offers) = (new EventService.EventServiceClient(server.Channel), new JourneyService.JourneyServiceClient(server.Channel), new OfferService.OfferServiceClient(server.Channel));
        var offer = new Offer { OfferId = "bench-cart", Name = "Cart reminder", Type = OfferType.Discount, Value = 10, Reward = 5, Difficulty = 10, DurationDays = 7, Channels = { Channel.Email } };
        await offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer });
        var journey = new Journey
        {
            JourneyId = "bench-cart",
            Name = "Benchmark cart",
            Entry = new JourneyEntry { EventType = EventType.AddToCart },
            Exit = new JourneyExit { EventTypes = { EventType.Purchase } },
            // With a total entry limit every entry takes a grant from the silo's lease of the journey's budget.
            ReEntry = limit > 0 ? new ReEntry { MaxTotalEntries = limit } : null,
            OfferIds = { offer.OfferId },
            Steps =
            {
                new JourneyStep { Id = "wait", Wait = new WaitStep { Duration = Duration.FromTimeSpan(TimeSpan.FromHours(1)), Next = "remind" } },
                new JourneyStep { Id = "remind", Send = new SendStep() },
            },
        };
        await journeys.CreateJourneyAsync(new CreateJourneyRequest { Journey = journey });
        await journeys.ActivateJourneyAsync(new JourneyIdRequest { JourneyId = journey.JourneyId });

        var at = DateTime.UtcNow.AddDays(-1);
        await Seeder.SeedAsync(events, customers, 250, workers: 8, i => [Consent(Id(i), at)]);
        await Task.Delay(TimeSpan.FromMilliseconds(1200)); // the silo's cached journey definitions
        var ceiling = await CampaignScenario.EmptyCallsPerSecondAsync(server.Services.GetRequiredService<IGrainFactory>(), Math.Min(customers, 1_000_000));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ceiling: {ceiling:N0} empty grain calls/s"));

        // Entries: one cart per customer through TrackBatch; done when the journey's results count them all.
        var clock = Stopwatch.StartNew();
        var now = DateTime.UtcNow;
        await Seeder.SeedAsync(events, customers, 250, workers: 8, i => [Cart(Id(i), now)]);
        var trackSeconds = clock.Elapsed.TotalSeconds;
        Journey counted;
        do
        {
            await Task.Delay(250);
            counted = await journeys.GetJourneyAsync(new GetJourneyRequest { JourneyId = journey.JourneyId });
        }
        while (counted.Stats.Entered < customers && clock.Elapsed < TimeSpan.FromMinutes(10));

        var entrySeconds = clock.Elapsed.TotalSeconds;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"entered {counted.Stats.Entered:N0} in {entrySeconds:0.0} s ({counted.Stats.Entered / entrySeconds:N0}/s; tracked in {trackSeconds:0.0} s)"));

        // Exits: a purchase for a sample of waiting customers, one at a time.
        var latencies = new Latencies();
        var sample = Math.Min(ExitSample, customers);
        for (var i = 0; i < sample; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await events.TrackAsync(new TrackRequest { Event = Purchase(Id(i), DateTime.UtcNow) });
            latencies.Add(Stopwatch.GetTimestamp() - started);
        }

        Journey exited;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            await Task.Delay(250);
            exited = await journeys.GetJourneyAsync(new GetJourneyRequest { JourneyId = journey.JourneyId });
        }
        while (Ended(exited, "EXIT_EVENT") < sample && DateTime.UtcNow < deadline);

        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exits: {Ended(exited, "EXIT_EVENT"):N0} of {sample:N0}; Track p50 {latencies.Percentile(50):0.0} ms, p99 {latencies.Percentile(99):0.0} ms"));
        using var process = Process.GetCurrentProcess();
        return new Dictionary<string, object>
        {
            ["scenario"] = "journey",
            ["cores"] = Environment.ProcessorCount,
            ["storage"] = durable ? "azure-blob (Azurite)" : "memory",
            ["customers"] = customers,
            ["max_total_entries"] = limit,
            ["entered"] = counted.Stats.Entered,
            ["entries_per_second"] = Math.Round(counted.Stats.Entered / entrySeconds),
            ["track_batch_seconds"] = Math.Round(trackSeconds, 1),
            ["ceiling_empty_calls_per_second"] = Math.Round(ceiling),
            ["ratio_to_ceiling"] = Math.Round(counted.Stats.Entered / entrySeconds / ceiling, 3),
            ["exit_sample"] = sample,
            ["exited"] = Ended(exited, "EXIT_EVENT"),
            ["sent_before_exit"] = exited.Stats.Steps.Sum(s => s.Sent.Sum(r => r.Count)),
            ["exit_track_p50_ms"] = Math.Round(latencies.Percentile(50), 1),
            ["exit_track_p99_ms"] = Math.Round(latencies.Percentile(99), 1),
            ["peak_working_set_mb"] = process.PeakWorkingSet64 / (1024 * 1024),
        };
    }

    private static string Id(int i) => $"jbench-{i:D7}";

    private static long Ended(Journey journey, string reason) => journey.Stats.Ended.Where(r => r.Reason == reason).Sum(r => r.Count);

    internal static Event Base(string id, EventType type, DateTime at, Channel channel) => new()
    {
        EventId = Guid.NewGuid().ToString("N"),
        CustomerId = id,
        Type = type,
        Channel = channel,
        OccurredAt = Timestamp.FromDateTime(at),
    };

    internal static Event Consent(string id, DateTime at)
    {
        var e = Base(id, EventType.ConsentGranted, at, Channel.Email);
        e.Consent = new ConsentDetail { Purpose = "marketing" };
        return e;
    }

    internal static Event Cart(string id, DateTime at)
    {
        var e = Base(id, EventType.AddToCart, at, Channel.Web);
        e.Cart = new CartDetail { Item = new LineItem { ProductId = "p1", Quantity = 1, UnitPrice = new Money { Amount = 30, Currency = "EUR" } } };
        return e;
    }

    private static Event Purchase(string id, DateTime at)
    {
        var e = Base(id, EventType.Purchase, at, Channel.Web);
        e.Purchase = new PurchaseDetail { OrderId = Guid.NewGuid().ToString("N"), Total = new Money { Amount = 30, Currency = "EUR" } };
        return e;
    }
}
