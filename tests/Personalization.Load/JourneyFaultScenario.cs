using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Personalization.Contracts.Schedules;
using Personalization.Grains.Journeys;
using Personalization.Grains.Schedules;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Load;

/// <summary>
/// Issue 16's fault target at scale: N reachable customers wait in a journey (ADD_TO_CART → wait W → send
/// <c>remind</c>) on a two-silo cluster of real server processes (API key, one Azurite on disk) when the cluster is
/// hurt — <see cref="JourneyFault.Kill"/>: one silo SIGKILLed, the survivor alone left to wake everyone (no
/// replacement); <see cref="JourneyFault.Restart"/>: both silos SIGKILLed, two new processes of the same cluster started.
/// Each fault runs on a cluster, journey and customers of its own (one after the other on the same Azurite). The
/// channel queues are then drained as a connector would (receive, delete) and every delivery id inside every message
/// counted: each customer must get <c>{journey}:{customer}:1:remind</c> exactly once — the queue is the proof; the
/// journey's results and the wake shards' status are the server's side of it.
/// </summary>
public sealed class JourneyFaultScenario(int customers, IReadOnlyList<JourneyFault> faults, IReadOnlyList<string>? siloSettings = null)
{
    private const int PerBatch = 250;
    private const int WorkersPerSilo = 4;

    /// <summary>
    /// The wait: it must outlast the entries and the fault (a restart starts two processes). 60 s plus 2 ms a customer
    /// (100,000: 260 s) leaves room for 500 entries/s on a loaded two-core machine; the run says if it did not.
    /// </summary>
    public TimeSpan Wait { get; } = TimeSpan.FromSeconds(60 + customers * 0.002);

    public async Task<Dictionary<string, object>> RunAsync(TextWriter log)
    {
        // On disk: a run at scale overwrites grain state for longer than in-memory Azurite lasts (README, Known limits);
        // a process per service, so the blob service's metadata saves do not hold up membership, the schedule and the queues.
        await using var azurite = new AzuriteFixture { Persistent = true, Split = true };
        await azurite.InitializeAsync();
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{customers:N0} customers, wait {Wait.TotalSeconds:0} s, faults: {string.Join(", ", faults)}"));
        var result = new Dictionary<string, object>
        {
            ["scenario"] = "journey-fault",
            ["cores"] = Environment.ProcessorCount,
            ["storage"] = "azure-blob + change log + wake table (Azurite on disk, a process per service)",
            ["silos"] = 2,
            ["customers"] = customers,
            ["wait_seconds"] = Math.Round(Wait.TotalSeconds),
            ["silo_settings"] = string.Join(' ', siloSettings ?? []),
        };
        var passed = true;
        foreach (var fault in faults)
        {
            var phase = await new Phase(customers, Wait, azurite, fault, log, siloSettings ?? []).RunAsync();
            passed &= phase.Passed;
            foreach (var (key, value) in phase.Figures)
            {
                result[$"{fault.ToString().ToLowerInvariant()}_{key}"] = value;
            }
        }

        result["passed"] = passed;
        return result;
    }

    /// <summary>One fault on a cluster of its own: start, seed, enter, hurt, drain, count.</summary>
    private sealed class Phase(int customers, TimeSpan wait, AzuriteFixture azurite, JourneyFault fault, TextWriter log, IReadOnlyList<string> siloSettings)
    {
        private readonly SiloProcesses _silos = new(azurite);
        private readonly List<Silo> _live = [];
        private readonly string _name = fault.ToString().ToLowerInvariant();
        private readonly int _customers = customers;
        private readonly TimeSpan _wait = wait;
        private int _failedDrains;

        // The silo ports, kept for a restart: a new process on a dead one's address has the cluster declare it dead at once.
        private readonly int[] _siloPorts = [FreePorts.Next(), FreePorts.Next()];

        public Dictionary<string, object> Figures { get; } = [];

        public bool Passed { get; private set; }

        public async Task<Phase> RunAsync()
        {
            try
            {
                await RunPhaseAsync();
            }
            finally
            {
                foreach (var silo in _live)
                {
                    await silo.DisposeAsync();
                }
            }

            return this;
        }

        private async Task RunPhaseAsync()
        {
            var peaks = new List<long>();
            _live.Add(await StartAsync(0));
            _live.Add(await StartAsync(1));
            var (first, second) = (_live[0], _live[1]);
            var offer = new Offer { OfferId = $"fault-{_name}", Name = "Fault reminder", Type = OfferType.Informational, Value = 1, Channels = { Channel.Email } };
            await new OfferService.OfferServiceClient(first.Invoker).CreateOfferAsync(new CreateOfferRequest { Offer = offer });
            var journeyId = $"fault-{_name}";
            var journeys = new JourneyService.JourneyServiceClient(first.Invoker);
            await journeys.CreateJourneyAsync(new CreateJourneyRequest { Journey = JourneyWakeScenario.WaitThenSend(journeyId, $"Fault ({_name})", offer.OfferId, _wait) });
            await journeys.ActivateJourneyAsync(new JourneyIdRequest { JourneyId = journeyId });

            // Seeding and entries: half the batches to each silo's gRPC port (each batch's customers live on both).
            var clock = Stopwatch.StartNew();
            var at = DateTime.UtcNow.AddDays(-1);
            await BothAsync(i => [JourneyWakeScenario.Noon(Id(i), at), JourneyScenario.Consent(Id(i), at)]);
            var seedSeconds = clock.Elapsed.TotalSeconds;
            await Task.Delay(TimeSpan.FromMilliseconds(1500)); // both silos' cached journey definitions

            // Each customer's due time lies between its batch's send and its answer, plus the wait.
            var (sent, answered) = (new DateTime[_customers], new DateTime[_customers]);
            clock.Restart();
            await BothAsync(i =>
            {
                sent[i] = DateTime.UtcNow;
                return [JourneyScenario.Cart(Id(i), sent[i])];
            }, (start, count) => Array.Fill(answered, DateTime.UtcNow, start, count));
            var trackSeconds = clock.Elapsed.TotalSeconds;
            var entered = await RetryAsync(() => WaitForAsync(journeys, journeyId, s => s.Entered >= _customers, TimeSpan.FromMinutes(10) + TimeSpan.FromMilliseconds(_customers * 5)));
            var entrySeconds = clock.Elapsed.TotalSeconds;
            var firstDue = sent.Min() + _wait;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_name}] seeded {_customers:N0} in {seedSeconds:0.0} s; entered {entered.Stats.Entered:N0} in {entrySeconds:0.0} s (tracked in {trackSeconds:0.0} s); first due {(firstDue - DateTime.UtcNow).TotalSeconds:0} s from now"));

            // The fault, while everyone waits: once the results have been written behind (a crash may lose their last
            // seconds by design, and the server's counts after the fault should be comparable with the queue's).
            await Task.Delay(JourneyCounters.FlushInterval + JourneyStatsGrain.FlushDelay + TimeSpan.FromSeconds(1));
            clock.Restart();
            if (fault == JourneyFault.Kill)
            {
                peaks.Add(second.Meter.PeakResidentBytes());
                await second.DisposeAsync(); // SIGKILL: its grains, its log's tail and the schedule shards it held go with it
                _live.Remove(second);
            }
            else
            {
                peaks.AddRange(_live.Select(s => s.Meter.PeakResidentBytes()));
                foreach (var silo in _live)
                {
                    await silo.DisposeAsync(); // SIGKILL both: the harsher stop, nothing flushed
                }

                _live.Clear();
                _live.AddRange(await Task.WhenAll(StartAsync(0), StartAsync(1)));
            }

            journeys = new JourneyService.JourneyServiceClient(_live[0].Invoker); // the first silo may be gone
            var faultSeconds = clock.Elapsed.TotalSeconds;
            var faultDone = DateTime.UtcNow;
            var beforeDue = faultDone < firstDue;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_name}] {(fault == JourneyFault.Kill ? "one silo SIGKILLed" : "both silos SIGKILLed and two new ones started")} in {faultSeconds:0.0} s, {(beforeDue ? "before" : "AFTER")} the first due time"));

            // The connector's view: every delivery id inside every message of the journey.
            var deliveries = new Deliveries($"journey:{journeyId}");
            var queues = new[] { Channel.Email, Channel.Push }
                .Select(c => new QueueClient(azurite.ConnectionString, $"{_silos.Queues}-{c.ToString().ToLowerInvariant()}"))
                .ToArray();
            foreach (var queue in queues)
            {
                await queue.CreateIfNotExistsAsync(); // a channel nobody was sent on has no queue yet
            }

            // Generous: on one Azurite on disk the survivor of a kill also recovers the dead silo's customers (100,000: ~43 min).
            var drainTimeout = _wait + TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(_customers * 20);
            var deadline = DateTime.UtcNow + drainTimeout;
            while (deliveries.Distinct < _customers && DateTime.UtcNow < deadline)
            {
                if (await DrainAsync(queues, deliveries) == 0)
                {
                    await Task.Delay(500);
                }
            }

            var allIn = DateTime.UtcNow;
            while (DateTime.UtcNow < allIn.AddSeconds(10))
            {
                // A second wake of anyone would have queued by now.
                if (await DrainAsync(queues, deliveries) == 0)
                {
                    await Task.Delay(500);
                }
            }

            var drainSeconds = (allIn - firstDue).TotalSeconds;
            var stats = (await RetryAsync(() => journeys.GetJourneyAsync(new GetJourneyRequest { JourneyId = journeyId }, deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync)).Stats;
            var shards = await WakeShardsAsync();
            peaks.AddRange(_live.Select(s => s.Meter.PeakResidentBytes()));

            // Counts against what each customer was due.
            var expected = Enumerable.Range(0, _customers).ToDictionary(i => $"{journeyId}:{Id(i)}:1:remind", i => i, StringComparer.Ordinal);
            var missing = expected.Keys.Count(id => !deliveries.SendAt.ContainsKey(id));
            var duplicated = deliveries.Copies.Count(c => c.Value > 1);
            var unexpected = deliveries.SendAt.Keys.Count(id => !expected.ContainsKey(id));
            var upper = new List<double>();
            var lower = new List<double>();
            var early = 0;
            foreach (var (id, sendAt) in deliveries.SendAt)
            {
                if (expected.TryGetValue(id, out var i))
                {
                    upper.Add((sendAt - (sent[i] + _wait)).TotalMilliseconds);
                    lower.Add((sendAt - (answered[i] + _wait)).TotalMilliseconds);
                    early += sendAt < sent[i] + _wait ? 1 : 0;
                }
            }

            var (sentCount, suppressed) = (stats.Steps.Sum(s => s.Sent.Sum(r => r.Count)), stats.Steps.Sum(s => s.Suppressed.Sum(r => r.Count)));
            Passed = missing == 0 && duplicated == 0 && unexpected == 0 && early == 0;
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[{_name}] delivered {deliveries.Distinct:N0} distinct of {_customers:N0} in {deliveries.Messages:N0} messages: {missing} missing, {duplicated} duplicated, {unexpected} unexpected, {early} early; server: entered {stats.Entered:N0}, sent {sentCount:N0}, suppressed {suppressed:N0}{(shards is null ? "" : string.Create(CultureInfo.InvariantCulture, $", wake shards woke {shards.Sum(s => s.Woken):N0}"))} → {(Passed ? "PASSED" : "FAILED")}"));

            Figures["entered"] = entered.Stats.Entered;
            Figures["distinct_delivered"] = deliveries.Distinct;
            Figures["delivery_ids_read"] = deliveries.Copies.Values.Sum();
            Figures["queue_messages"] = deliveries.Messages;
            Figures["duplicates"] = duplicated;
            Figures["missing"] = missing;
            Figures["unexpected"] = unexpected;
            Figures["early"] = early;
            Figures["fault_before_first_due"] = beforeDue;
            Figures["failed_drain_passes"] = _failedDrains;
            Figures["server_sent"] = sentCount;
            Figures["server_suppressed"] = suppressed;
            Figures["seed_seconds"] = Math.Round(seedSeconds, 1);
            Figures["entry_seconds"] = Math.Round(entrySeconds, 1);
            Figures["entries_per_second"] = Math.Round(_customers / entrySeconds);
            Figures["fault_seconds"] = Math.Round(faultSeconds, 1);
            Figures["drain_seconds_from_first_due"] = Math.Round(drainSeconds, 1);
            if (upper.Count > 0)
            {
                // The due time is known to within a batch's round trip: lateness at most (due at the batch's send) and at least (at its answer).
                Figures["first_delivery_after_first_due_seconds"] = Math.Round((deliveries.SendAt.Values.Min() - firstDue).TotalSeconds, 1);
                Figures["last_delivery_after_last_due_seconds"] = Math.Round((deliveries.SendAt.Values.Max() - (answered.Max() + _wait)).TotalSeconds, 1);
                Figures["lateness_p50_ms_at_most"] = Math.Round(Percentile(upper, 0.50));
                Figures["lateness_p99_ms_at_most"] = Math.Round(Percentile(upper, 0.99));
                Figures["lateness_p99_ms_at_least"] = Math.Round(Percentile(lower, 0.99));
            }

            if (shards is not null)
            {
                var histogram = JourneyWakeScenario.Histogram(shards);
                Figures["wake_shards_woken"] = shards.Sum(s => s.Woken);
                Figures["wake_shards_pending"] = shards.Sum(s => s.Pending);
                Figures["wake_shards_lateness_p50_ms"] = JourneyWakeScenario.Percentile(histogram, 0.50);
                Figures["wake_shards_lateness_p99_ms"] = JourneyWakeScenario.Percentile(histogram, 0.99);
            }

            Figures["silo_peak_resident_mb"] = peaks.Select(p => p / (1024 * 1024)).ToArray();
        }

        private string Id(int i) => $"jfault-{_name}-{i:D7}";

        private async Task<Silo> StartAsync(int index)
        {
            var port = FreePorts.Next();
            var process = await _silos.StartAsync(port, [$"--Cluster:SiloPort={_siloPorts[index]}", "--Logging:LogLevel:Default=Warning", .. siloSettings]);
            return new Silo(process, port);
        }

        // Customers [0, half) through the first silo, the rest through the second; each batch answered hears (start, count).
        private Task BothAsync(Func<int, IEnumerable<Event>> eventsOf, Action<int, int>? answered = null)
        {
            var half = _customers / 2;
            return Task.WhenAll(_live.Take(2).Select((silo, s) =>
            {
                var (offset, count) = s == 0 ? (0, half) : (half, _customers - half);
                return Seeder.SeedAsync(new EventService.EventServiceClient(silo.Invoker), count, PerBatch, WorkersPerSilo, i => eventsOf(offset + i),
                    answered is null ? null : start => answered(offset + start, Math.Min(PerBatch, count - start)));
            }));
        }

        // The shards' own view through an Orleans client of the cluster (a diagnostic path, no public RPC); null when it cannot connect.
        private async Task<WakeShardStatus[]?> WakeShardsAsync()
        {
            try
            {
                var builder = Host.CreateApplicationBuilder();
                builder.Logging.SetMinimumLevel(LogLevel.Warning);
                builder.UseOrleansClient(client =>
                {
                    client.UseAzureStorageClustering(options => options.TableServiceClient = new TableServiceClient(azurite.ConnectionString));
                    client.Configure<ClusterOptions>(options => (options.ClusterId, options.ServiceId) = (_silos.ClusterId, _silos.ClusterId));
                });
                using var host = builder.Build();
                using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                await host.StartAsync(timeout.Token);
                var grains = host.Services.GetRequiredService<IClusterClient>();
                var statuses = await RetryAsync(() => Task.WhenAll(Enumerable.Range(0, new WakeScheduleOptions().Shards).Select(s => grains.GetGrain<IWakeShardGrain>(s).Status())));
                await host.StopAsync(CancellationToken.None);
                return statuses;
            }
            catch (Exception e)
            {
                // An optional view: whatever keeps it away, the queue-side counts stand.
                log.WriteLine($"[{_name}] wake shards not reachable through an Orleans client: {e.Message}");
                return null;
            }
        }

        // One pass over the queues, several receivers each; returns the messages read. A pass the storage does not
        // answer (its client's own retries spent) is counted and given up: the next pass reads on; a message received
        // but not deleted comes back after its visibility timeout and is counted once more, as a connector would.
        private async Task<int> DrainAsync(QueueClient[] queues, Deliveries into)
        {
            try
            {
                var counts = await Task.WhenAll(queues.SelectMany(q => Enumerable.Range(0, 4).Select(_ => DrainAsync(q, into))));
                return counts.Sum();
            }
            catch (Exception e) when (e is Azure.RequestFailedException or IOException or HttpRequestException or TaskCanceledException or TimeoutException)
            {
                _failedDrains++;
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{_name}] a drain pass failed ({_failedDrains} so far; {into.Distinct:N0} read): {e.GetType().Name}: {e.Message.Split('\n')[0]}"));
                await Task.Delay(TimeSpan.FromSeconds(5));
                return 0;
            }
        }

        private static async Task<int> DrainAsync(QueueClient queue, Deliveries into)
        {
            var read = 0;
            while (true)
            {
                var messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
                if (messages.Length == 0)
                {
                    return read;
                }

                foreach (var message in messages)
                {
                    into.Add(message.MessageId, message.Body.ToString());
                }

                await Task.WhenAll(messages.Select(m => queue.DeleteMessageAsync(m.MessageId, m.PopReceipt)));
                read += messages.Length;
            }
        }
    }

    /// <summary>A silo process, its gRPC port's client (with the key) and its memory meter.</summary>
    private sealed class Silo(ServerProcess process, int port) : IAsyncDisposable
    {
        private readonly (GrpcChannel Channel, CallInvoker Invoker) _client = SiloProcesses.Client(port);

        public CallInvoker Invoker => _client.Invoker;

        public ProcessMeter Meter { get; } = new(process.ProcessId);

        public async ValueTask DisposeAsync()
        {
            _client.Channel.Dispose();
            await process.DisposeAsync();
        }
    }

    /// <summary>Delivery ids read from the queues: how often each (in distinct messages), and the send time of its first copy.</summary>
    private sealed class Deliveries(string campaignId)
    {
        private readonly Lock _lock = new();

        public Dictionary<string, int> Copies { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, DateTime> SendAt { get; } = new(StringComparer.Ordinal);

        public int Messages { get; private set; }

        // Messages read: one received again (its delete failed, so it came back) is not counted twice.
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

        public int Distinct
        {
            get
            {
                lock (_lock)
                {
                    return Copies.Count;
                }
            }
        }

        public void Add(string messageId, string body)
        {
            lock (_lock)
            {
                if (!_seen.Add(messageId))
                {
                    return;
                }
            }

            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.GetProperty("campaign_id").GetString() != campaignId)
            {
                return;
            }

            var sendAt = root.GetProperty("send_at").GetDateTime().ToUniversalTime();
            lock (_lock)
            {
                Messages++;
                foreach (var delivery in root.GetProperty("deliveries").EnumerateArray())
                {
                    var id = delivery.GetProperty("delivery_id").GetString()!;
                    Copies[id] = Copies.GetValueOrDefault(id) + 1;
                    SendAt.TryAdd(id, sendAt);
                }
            }
        }
    }

    private static async Task<Journey> WaitForAsync(JourneyService.JourneyServiceClient journeys, string id, Func<JourneyStats, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var journey = await journeys.GetJourneyAsync(new GetJourneyRequest { JourneyId = id }, deadline: DateTime.UtcNow.AddSeconds(30));
            if (done(journey.Stats) || DateTime.UtcNow > deadline)
            {
                return journey;
            }

            await Task.Delay(250);
        }
    }

    // After a kill, calls to what lived on the dead silo fail until the cluster has declared it dead: retry for a while.
    private static async Task<T> RetryAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (e is RpcException or OrleansException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(1000);
            }
        }
    }

    private static double Percentile(List<double> values, double quantile)
    {
        values.Sort();
        return values[Math.Clamp((int)Math.Ceiling(quantile * values.Count) - 1, 0, values.Count - 1)];
    }
}
