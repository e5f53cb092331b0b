using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Contracts.Diagnostics;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Load;

/// <summary>
/// Fans a campaign out to N synthetic customers on one machine: seeds them over gRPC, fills a
/// segment, measures an empty-grain-call ceiling with the same concurrency, then runs the campaign
/// and reports time, decisions per second, the ratio to the ceiling and peak memory.
/// </summary>
public sealed class CampaignScenario(int customers, bool durable)
{
    private const int CeilingInFlight = 1024;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public async Task<Dictionary<string, object>> RunAsync(TextWriter log)
    {
        await using var azurite = LoadAzurite.Create();
        await azurite.InitializeAsync();
        var settings = TestServer.Settings(azurite);
        settings["Storage:Provider"] = durable ? "AzureBlob" : "Memory";
        await using var server = await TestServer.StartAsync(settings);
        var (events, segments, campaigns, offers) = (new EventService.EventServiceClient(server.Channel), new SegmentService.SegmentServiceClient(server.Channel),
            new CampaignService.CampaignServiceClient(server.Channel), new OfferService.OfferServiceClient(server.Channel));

        var offerIds = new List<string>();
        foreach (var (type, value, channel) in new[] { (OfferType.Discount, 10.0, Channel.Email), (OfferType.Bogo, 8.0, Channel.Push), (OfferType.Retention, 15.0, Channel.Email) })
        {
            var offer = new Offer { OfferId = $"bench-{type}".ToLowerInvariant(), Name = type.ToString(), Type = type, Value = value, Reward = 5, Difficulty = 10, DurationDays = 7, Channels = { channel } };
            await offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer });
            offerIds.Add(offer.OfferId);
        }

        var clock = Stopwatch.StartNew();
        await SeedAsync(events, log);
        var seedSeconds = clock.Elapsed.TotalSeconds;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {customers:N0} customers in {seedSeconds:0.0} s ({customers * 4 / seedSeconds:N0} events/s)"));

        clock.Restart();
        await segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = "bench-audience", Rule = "consented(email) or consented(push)" } });
        Segment segment;
        do
        {
            await Task.Delay(500);
            segment = await segments.GetSegmentAsync(new GetSegmentRequest { Name = "bench-audience" });
        }
        while (segment.Status != SegmentStatus.Active);

        var backfillSeconds = clock.Elapsed.TotalSeconds;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"segment filled: {segment.MemberCount:N0} members in {backfillSeconds:0.0} s"));

        var ceiling = await EmptyCallsPerSecondAsync(server.Services.GetRequiredService<IGrainFactory>(), Math.Min(customers, 1_000_000));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ceiling: {ceiling:N0} empty grain calls/s ({CeilingInFlight} in flight)"));

        var campaign = new Campaign { CampaignId = "bench", Name = "Benchmark", Segment = "bench-audience", HoldoutShare = 0.05, Frequency = new FrequencyPolicy { MaxPerCustomer = 1, RespectGlobalCaps = true } };
        campaign.OfferIds.AddRange(offerIds);
        await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = campaign });
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        clock.Restart();
        await campaigns.StartCampaignAsync(new StartCampaignRequest { CampaignId = "bench" });
        Campaign done;
        do
        {
            await Task.Delay(250);
            done = await campaigns.GetCampaignAsync(new GetCampaignRequest { CampaignId = "bench" });
        }
        while (done.State != CampaignState.Completed);

        var campaignSeconds = clock.Elapsed.TotalSeconds;
        var decisionsPerSecond = done.Progress.Decided / campaignSeconds;
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        // Deliveries due now are on the channel queues, later ones on the scheduled queue until released; a queue
        // nothing was sent to does not exist.
        var messages = 0;
        foreach (var queue in new[] { "email", "push", "scheduled" })
        {
            try
            {
                var properties = await new QueueClient(azurite.ConnectionString, $"{settings["Storage:QueuePrefix"]}-{queue}").GetPropertiesAsync();
                messages += properties.Value.ApproximateMessagesCount;
            }
            catch (Azure.RequestFailedException e) when (e.Status == 404)
            {
                // Nothing was queued there.
            }
        }

        using var process = Process.GetCurrentProcess();
        var result = new Dictionary<string, object>
        {
            ["scenario"] = "campaign",
            ["cores"] = Environment.ProcessorCount,
            ["storage"] = durable ? "azure-blob (Azurite)" : "memory",
            ["customers"] = customers,
            ["members"] = segment.MemberCount,
            ["seed_seconds"] = Math.Round(seedSeconds, 1),
            ["backfill_seconds"] = Math.Round(backfillSeconds, 1),
            ["campaign_seconds"] = Math.Round(campaignSeconds, 1),
            ["decided"] = done.Progress.Decided,
            ["queued"] = done.Progress.Channels.Sum(c => c.Queued),
            ["queue_messages"] = messages,
            ["suppressed"] = done.Progress.Suppressed.ToDictionary(s => s.Reason.ToString(), s => s.Count),
            ["decisions_per_second"] = Math.Round(decisionsPerSecond),
            ["ceiling_empty_calls_per_second"] = Math.Round(ceiling),
            ["ratio_to_ceiling"] = Math.Round(decisionsPerSecond / ceiling, 3),
            ["peak_working_set_mb"] = process.PeakWorkingSet64 / (1024 * 1024),
            ["managed_heap_mb"] = heapAfter / (1024 * 1024),
            ["managed_bytes_per_customer"] = heapAfter / Math.Max(1, customers),
            ["heap_growth_during_campaign_mb"] = (heapAfter - heapBefore) / (1024 * 1024),
        };
        return result;
    }

    // Four events per customer (250 customers: the 1,000 a batch may hold): traits, zone, consent, a session.
    private Task SeedAsync(EventService.EventServiceClient events, TextWriter log)
    {
        const int PerBatch = 250;
        var zones = new[] { "Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC" };
        var at = DateTime.UtcNow.AddDays(-1);
        IEnumerable<Event> EventsOf(int i)
        {
            var id = $"bench-{i:D7}";
            var traits = Event(id, EventType.TraitsSet, at, Channel.Unspecified);
            traits.Traits = new TraitsDetail { Traits = { ["tenure"] = new Value { IntValue = i % 72 }, ["plan"] = new Value { StringValue = i % 3 == 0 ? "gold" : "basic" } } };
            yield return traits;
            var zone = Event(id, EventType.TimeZoneSet, at, Channel.Unspecified);
            zone.TimeZone = new TimeZoneDetail { TimeZone = zones[i % zones.Length] };
            yield return zone;
            yield return Consent(id, i % 5 == 0 ? Channel.Push : Channel.Email, at);
            yield return Event(id, EventType.SessionStarted, at.AddHours(i % 24), Channel.Web);
        }

        return Seeder.SeedAsync(events, customers, PerBatch, workers: 8, EventsOf, start =>
        {
            if (start / PerBatch % 200 == 0)
            {
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  seeding: {start + PerBatch:N0}"));
            }
        });
    }

    private static Event Event(string id, EventType type, DateTime at, Channel channel) => new()
    {
        EventId = $"{id}:{type}",
        CustomerId = id,
        Type = type,
        Channel = channel,
        OccurredAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(at),
    };

    private static Event Consent(string id, Channel channel, DateTime at)
    {
        var e = Event(id, EventType.ConsentGranted, at, channel);
        e.Consent = new ConsentDetail { Purpose = "marketing" };
        return e;
    }

    // The same silo-side calls with the same concurrency, to a grain that does nothing.
    /// <summary>Empty grain calls per second with the same concurrency: the same-run ceiling every scenario reports against.</summary>
    internal static async Task<double> EmptyCallsPerSecondAsync(IGrainFactory grains, int calls)
    {
        var pings = Enumerable.Range(0, CeilingInFlight).Select(i => grains.GetGrain<IPingGrain>($"ceiling-{i}")).ToArray();
        await Task.WhenAll(pings.Select(p => p.Ping()));
        var run = await Measure.ClosedLoopAsync(CeilingInFlight, TimeSpan.FromMinutes(10), async (worker, _) =>
        {
            await pings[worker].Ping();
            return 1;
        }, limit: calls);
        return run.CallsPerSecond;
    }

    /// <summary>Writes the figures as a table and as JSON.</summary>
    public static void Report(Dictionary<string, object> result, TextWriter output, string jsonPath)
    {
        foreach (var (key, value) in result.Where(r => r.Key != "runs"))
        {
            output.WriteLine($"{key,-34} {(value is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : JsonSerializer.Serialize(value))}");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(result, Indented));
        output.WriteLine($"written to {jsonPath}");
    }
}
