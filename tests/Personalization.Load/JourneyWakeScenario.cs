using System.Diagnostics;
using System.Globalization;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;
using Orleans.Serialization;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Schedules;
using Personalization.Grains.Journeys;
using Personalization.Grains.Schedules;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Load;

/// <summary>
/// Wake-ups at scale (issue 16's target): N reachable customers enter one journey whose wait ends a fixed
/// time after entry (their due times lie within the entry window), every customer activation is then
/// collected so only the wake-up schedule can wake them, and the run reports how late the schedule woke
/// them (p50/p99/p99.9 from the shards' lateness histograms), whether each was woken once (one send each), the
/// storage writes the schedule made, the delivery-queue writes the sends made, bytes per waiting customer in
/// the schedule and in the grain, and the same-run empty-grain ceiling. With <paramref name="pace"/> above 0
/// the entries are paced at that many a second, so the waits end at that rate rather than together: the
/// lateness then shows whether the schedule keeps up with that rate of wake-ups.
/// </summary>
public sealed class JourneyWakeScenario(int customers, bool durable, int pace = 0)
{
    public async Task<Dictionary<string, object>> RunAsync(TextWriter log)
    {
        await using var azurite = LoadAzurite.Create();
        await azurite.InitializeAsync();
        var settings = TestServer.Settings(azurite);
        settings["Storage:Provider"] = durable ? "AzureBlob" : "Memory";
        await using var server = await TestServer.StartAsync(settings);
        var grains = server.Services.GetRequiredService<IGrainFactory>();
        var (events, journeys, offers) = (new EventService.EventServiceClient(server.Channel), new JourneyService.JourneyServiceClient(server.Channel), new OfferService.OfferServiceClient(server.Channel));
        var offer = new Offer { OfferId = "bench-wake", Name = "Wake", Type = OfferType.Informational, Value = 1, Channels = { Channel.Email } };
        await offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer });
        var at = DateTime.UtcNow.AddDays(-1);
        await Seeder.SeedAsync(events, customers, 250, workers: 8, i => [Noon(Id(i), at), JourneyScenario.Consent(Id(i), at)]);
        var ceiling = await CampaignScenario.EmptyCallsPerSecondAsync(grains, Math.Min(customers, 1_000_000));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ceiling: {ceiling:N0} empty grain calls/s"));

        // The wait outlasts the entries (paced, or at a pessimistic 3,000 entries/s) and the deactivation after them.
        var entering = pace > 0 ? customers / (double)pace : customers / 3000.0;
        var wait = TimeSpan.FromSeconds(Math.Max(8, entering + (customers / 5000.0) + 6));
        var journey = WaitThenSend("bench-wake", "Benchmark wake", offer.OfferId, wait);
        await journeys.CreateJourneyAsync(new CreateJourneyRequest { Journey = journey });
        await journeys.ActivateJourneyAsync(new JourneyIdRequest { JourneyId = journey.JourneyId });
        await Task.Delay(TimeSpan.FromMilliseconds(1200)); // the silo's cached journey definitions

        var writesBefore = server.Services.GetRequiredService<WakeSchedule>().Writes;
        var clock = Stopwatch.StartNew();
        var now = DateTime.UtcNow;
        if (pace > 0)
        {
            await PacedAsync(events, customers, pace);
        }
        else
        {
            await Seeder.SeedAsync(events, customers, 250, workers: 8, i => [JourneyScenario.Cart(Id(i), now)]);
        }

        var entrySeconds = clock.Elapsed.TotalSeconds;
        var writes = server.Services.GetRequiredService<WakeSchedule>().Writes - writesBefore;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"entered {customers:N0} in {entrySeconds:0.0} s ({customers / entrySeconds:N0}/s); {writes:N0} schedule writes"));

        // Bytes per waiting customer: the enrollment in the grain's state, the entry in the schedule's storage.
        var state = (await grains.GetGrain<ICustomerGrain>(Id(0)).GetState())!;
        var serializer = server.Services.GetRequiredService<Serializer>();
        var enrollmentBytes = state.Journeys is null ? 0 : serializer.SerializeToArray(state.Journeys).Length;
        var scheduleBytes = 10 + Encoding.UTF8.GetByteCount(Id(0));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bytes per waiting customer: grain enrollment {enrollmentBytes} (serialized), schedule {scheduleBytes} (stored; in a shard's memory only within a bucket of its due time)"));

        // Only the schedule can wake them now: every customer deactivated (not every grain: the memory storage's
        // own grains hold the state the customers are woken from).
        var collecting = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, customers), new ParallelOptions { MaxDegreeOfParallelism = 256 }, async (i, cancellation) =>
            await grains.GetGrain<ICustomerGrain>(Id(i)).AsReference<IGrainManagementExtension>().DeactivateOnIdle(cancellation));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"deactivated {customers:N0} customers in {collecting.Elapsed.TotalSeconds:0.0} s; first due in {(now + wait - DateTime.UtcNow).TotalSeconds:0.0} s"));
        var queueWritesBefore = server.Services.GetRequiredService<JourneyDeliveries>().Writes;
        var shards = new WakeScheduleOptions().Shards;
        var deadline = DateTime.UtcNow + wait + TimeSpan.FromSeconds(Math.Max(600, customers / 500.0));
        long sent;
        do
        {
            await Task.Delay(500);
            var stats = await journeys.GetJourneyAsync(new GetJourneyRequest { JourneyId = journey.JourneyId });
            sent = stats.Stats.Steps.Sum(s => s.Sent.Sum(r => r.Count) + s.Suppressed.Sum(r => r.Count));
        }
        while (sent < customers && DateTime.UtcNow < deadline);

        var wakeSeconds = (DateTime.UtcNow - (now + wait)).TotalSeconds;
        var queueWrites = server.Services.GetRequiredService<JourneyDeliveries>().Writes - queueWritesBefore;
        await Task.Delay(TimeSpan.FromSeconds(2));
        var statuses = await Task.WhenAll(Enumerable.Range(0, shards).Select(s => grains.GetGrain<IWakeShardGrain>(s).Status()));
        var histogram = Histogram(statuses);
        var woken = statuses.Sum(s => s.Woken);
        var final = await journeys.GetJourneyAsync(new GetJourneyRequest { JourneyId = journey.JourneyId });
        sent = final.Stats.Steps.Sum(s => s.Sent.Sum(r => r.Count));
        var suppressed = final.Stats.Steps.Sum(s => s.Suppressed.Sum(r => r.Count));
        var (p50, p99, p999) = (Percentile(histogram, 0.50), Percentile(histogram, 0.99), Percentile(histogram, 0.999));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"woken by the schedule {woken:N0}, sent {sent:N0} (+ {suppressed:N0} suppressed) of {customers:N0} in {queueWrites:N0} queue writes; lateness p50 {p50} ms, p99 {p99} ms, p99.9 {p999} ms (10 ms steps); last send ~{wakeSeconds:0.0} s after the first due time"));
        using var process = Process.GetCurrentProcess();
        return new Dictionary<string, object>
        {
            ["scenario"] = "journey-wake",
            ["cores"] = Environment.ProcessorCount,
            ["storage"] = durable ? "azure-blob + wake table (Azurite)" : "memory",
            ["customers"] = customers,
            ["pace_entries_per_second"] = pace,
            ["entries_per_second"] = Math.Round(customers / entrySeconds),
            ["delivery_queue_writes"] = queueWrites,
            ["last_send_after_first_due_seconds"] = Math.Round(wakeSeconds, 1),
            ["wakes_per_second_overall"] = Math.Round(customers / Math.Max(wakeSeconds, entrySeconds)),
            ["schedule_writes"] = writes,
            ["woken_by_schedule"] = woken,
            ["sent"] = sent,
            ["suppressed"] = suppressed,
            ["lateness_p50_ms"] = p50,
            ["lateness_p99_ms"] = p99,
            ["lateness_p999_ms"] = p999,
            ["ceiling_empty_calls_per_second"] = Math.Round(ceiling),
            ["grain_enrollment_bytes"] = enrollmentBytes,
            ["schedule_bytes_stored"] = scheduleBytes,
            ["peak_working_set_mb"] = process.PeakWorkingSet64 / (1024 * 1024),
        };
    }

    /// <summary>A journey that <c>ADD_TO_CART</c> enters, that waits <paramref name="wait"/>, then sends (step <c>remind</c>).</summary>
    internal static Journey WaitThenSend(string journeyId, string name, string offerId, TimeSpan wait) => new()
    {
        JourneyId = journeyId,
        Name = name,
        Entry = new JourneyEntry { EventType = EventType.AddToCart },
        OfferIds = { offerId },
        Steps =
        {
            new JourneyStep { Id = "wait", Wait = new WaitStep { Duration = Duration.FromTimeSpan(wait), Next = "remind" } },
            new JourneyStep { Id = "remind", Send = new SendStep() },
        },
    };

    /// <summary>The shards' lateness histograms added up (10 ms steps).</summary>
    internal static long[] Histogram(IReadOnlyList<WakeShardStatus> statuses)
    {
        var histogram = new long[statuses[0].Lateness.Length];
        foreach (var status in statuses)
        {
            for (var i = 0; i < histogram.Length; i++)
            {
                histogram[i] += status.Lateness[i];
            }
        }

        return histogram;
    }

    /// <summary>The upper edge (ms) of the 10 ms step holding the quantile.</summary>
    internal static long Percentile(long[] histogram, double quantile)
    {
        var total = histogram.Sum();
        var seen = 0L;
        for (var i = 0; i < histogram.Length; i++)
        {
            seen += histogram[i];
            if (total > 0 && seen >= quantile * total)
            {
                return (i + 1L) * WakeShardGrain.LatenessStepMs;
            }
        }

        return 0;
    }

    private static string Id(int i) => $"jwake-{i:D7}";

    // Entries at a steady rate: a batch every 50 ms, on time however long the previous one takes (at most 64 in flight).
    private static async Task PacedAsync(EventService.EventServiceClient events, int customers, int pace)
    {
        var perTick = Math.Max(1, pace / 20);
        var clock = Stopwatch.StartNew();
        var inFlight = new List<Task>();
        for (var (start, tick) = (0, 0); start < customers; start += perTick, tick++)
        {
            var due = TimeSpan.FromSeconds(tick * perTick / (double)pace);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var batch = new TrackBatchRequest();
            var at = DateTime.UtcNow;
            for (var i = start; i < Math.Min(customers, start + perTick); i++)
            {
                batch.Events.Add(JourneyScenario.Cart(Id(i), at));
            }

            inFlight.Add(events.TrackBatchAsync(batch).ResponseAsync);
            if (inFlight.Count >= 64)
            {
                await Task.WhenAll(inFlight);
                inFlight.Clear();
            }
        }

        await Task.WhenAll(inFlight);
    }

    /// <summary>A time zone event putting the customer at local noon wherever the run is: outside quiet hours.</summary>
    internal static Event Noon(string id, DateTime at)
    {
        var offset = 12 - DateTime.UtcNow.Hour;
        offset = offset < -12 ? offset + 24 : offset;
        var e = JourneyScenario.Base(id, EventType.TimeZoneSet, at, Channel.Web);
        e.TimeZone = new TimeZoneDetail { TimeZone = offset >= 0 ? $"Etc/GMT-{offset}" : $"Etc/GMT+{-offset}" };
        return e;
    }
}
