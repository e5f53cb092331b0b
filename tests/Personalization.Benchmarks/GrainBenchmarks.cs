using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Personalization.Contracts.Campaigns;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Decisions;
using Personalization.Contracts.Diagnostics;
using Personalization.Contracts.Offers;
using Personalization.Contracts.Persistence;
using Personalization.Decisioning.Campaigns;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Offers;
using Personalization.Grains.Common;
using Personalization.Grains.Customers;
using Personalization.Grains.Journeys;
using Personalization.Grains.Models;
using Personalization.Grains.Offers;
using Personalization.Grains.Products;
using Personalization.Grains.Recommendations;
using Personalization.Grains.Segments;
using Personalization.Scoring.Bundles;
using Personalization.Scoring.Scoring;
using Personalization.Testing;

namespace Personalization.Benchmarks;

/// <summary>
/// The grain-level paths the server's gRPC handlers call, in a real one-silo Orleans host in this process (memory grain
/// storage, no change log, the shipped churn and offer models): an empty grain call as the same-run floor, then a
/// warm customer's inbound <c>Decide</c> (churn + 10 offers, as the gRPC harness asks) and one tracked page view.
/// The memory diagnoser counts every thread's allocations (the grain runs on Orleans' scheduler, not the caller's
/// thread), so "Allocated" is what one call costs the whole process.
/// </summary>
[MemoryDiagnoser]
public class GrainBenchmarks
{
    private const int Customers = 1_000;
    private static readonly DecisionRequest Inbound = new(
        DecisionMode.Inbound, [Channel.Web], 3, [], new PlacementContext { Placement = "home-hero", Page = "/", Device = "mobile" });

    private IHost _host = null!;
    private IGrainFactory _grains = null!;
    private ICustomerGrain[] _customers = null!;
    private IPingGrain[] _pings = null!;
    private int _next;
    private long _events;

    [GlobalSetup]
    public void Setup()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering();
            silo.AddMemoryGrainStorage(StorageNames.Grains);
            silo.UseInMemoryReminderService();
            var services = silo.Services;
            services.AddSingleton(TimeProvider.System);
            services.AddSingleton<ICustomerLog, UnloggedCustomerLog>();
            services.AddSingleton<IDeliveryQueue, DiscardingQueue>();
            services.AddSingleton<Contracts.Schedules.IWakeStore, Grains.Schedules.MemoryWakeStore>();
            services.AddSingleton(Options.Create(new FanoutOptions()));
            services.AddSingleton(_ => LoadModels());
            // The decision log as the server keeps it by default (here in the silo's memory, as with memory storage).
            services.AddSingleton(Options.Create(new DecisionLogOptions()));
            services.AddSingleton<IDecisionLog, MemoryDecisionLog>();
            foreach (var type in new[]
            {
                typeof(SnapshotPacer), typeof(SegmentCache), typeof(OfferCache), typeof(OfferBudgets), typeof(ProductCache),
                typeof(ItemGraphCache), typeof(ItemSignals), typeof(JourneyCache), typeof(JourneyCounters), typeof(Grains.Journeys.JourneyDeliveries), typeof(ModelResultsCounter), typeof(DecisionLogging),
                typeof(Grains.Reports.KpiCounters), typeof(Grains.Schedules.WakeSchedule), typeof(Grains.Schedules.WakePacer),
            })
            {
                services.AddSingleton(type);
            }
        });
        _host = builder.Build();
        _host.StartAsync().GetAwaiter().GetResult();
        _grains = _host.Services.GetRequiredService<IGrainFactory>();
        SeedAsync().GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _host.StopAsync().GetAwaiter().GetResult();
        _host.Dispose();
    }

    [Benchmark(Baseline = true, Description = "floor: an empty grain call")]
    public Task<PingReply> EmptyGrainCall() => _pings[Next()].Ping();

    [Benchmark(Description = "Decide: a warm customer, churn + 10 offers, 3 actions")]
    public Task<DecisionResponse> Decide() => _customers[Next()].Decide(Inbound);

    [Benchmark(Description = "Track: one page view")]
    public Task<TrackResult> TrackPageView()
    {
        var customer = Next();
        return _customers[customer].Track([PageView($"bench-{customer}", Interlocked.Increment(ref _events))]);
    }

    private int Next() => _next = (_next + 1) % Customers;

    private static ScoringService LoadModels()
    {
        var models = Path.Combine(RepositoryPaths.Root, "models");
        var scoring = new ScoringService();
        foreach (var kind in new[] { "churn", "offer" })
        {
            scoring.Activate(ModelBundle.Read(Directory.GetFiles(Path.Combine(models, kind), "*.zip").Single()));
        }

        return scoring;
    }

    // Ten offers and a thousand customers with the harness's returning-shopper history; every customer decided once
    // so its scores are cached, as they are for the gRPC harness's warm customers.
    private async Task SeedAsync()
    {
        var catalog = _grains.GetGrain<IOfferCatalogGrain>(IOfferCatalogGrain.DefaultKey);
        var types = new[] { OfferType.Discount, OfferType.Bogo, OfferType.Informational, OfferType.Retention };
        for (var i = 0; i < 10; i++)
        {
            await catalog.Create(new Offer
            {
                OfferId = $"load-{i}", Name = $"Offer {i}", Type = types[i % types.Length], Value = 5 + i, Reward = 2 + i % 5,
                Difficulty = 5 + 2 * i, DurationDays = 7, Channels = [Channel.Web, Channel.App, Channel.Email],
            });
        }

        _customers = [.. Enumerable.Range(0, Customers).Select(i => _grains.GetGrain<ICustomerGrain>($"bench-{i}"))];
        _pings = [.. Enumerable.Range(0, Customers).Select(i => _grains.GetGrain<IPingGrain>($"bench-{i}"))];
        for (var i = 0; i < Customers; i++)
        {
            await SeedAsync(i, decide: true);
            await _pings[i].Ping();
        }
    }

    /// <summary>One inbound decision for customer <c>bench-{i}</c>.</summary>
    internal Task DecideOnce(int i) => _grains.GetGrain<ICustomerGrain>($"bench-{i}").Decide(Inbound);

    /// <summary>Seeds customer <c>bench-{i}</c> with the harness's returning-shopper history (8 events), and decides it once when asked.</summary>
    internal async Task SeedAsync(int i, bool decide)
    {
        var customer = _grains.GetGrain<ICustomerGrain>($"bench-{i}");
        await customer.Track(Shopper($"bench-{i}", i, DateTime.UtcNow.AddDays(-2)));
        if (decide)
        {
            await customer.Decide(Inbound);
        }
    }

    private static List<CustomerEvent> Shopper(string id, int i, DateTime at) =>
    [
        new() { EventId = $"{id}:traits", CustomerId = id, Type = CustomerEventType.TraitsSet, OccurredAt = at, Traits = new()
        {
            ["tenure"] = TraitValue.Of((long)(i % 72)), ["plan"] = TraitValue.Of(i % 3 == 0 ? "gold" : "basic"), ["city"] = TraitValue.Of($"city-{i % 50}"),
        } },
        new() { EventId = $"{id}:zone", CustomerId = id, Type = CustomerEventType.TimeZoneSet, OccurredAt = at, TimeZone = "Europe/Paris" },
        new() { EventId = $"{id}:consent", CustomerId = id, Type = CustomerEventType.ConsentGranted, Channel = Channel.Email, OccurredAt = at, Purpose = "marketing" },
        new() { EventId = $"{id}:session", CustomerId = id, Type = CustomerEventType.SessionStarted, Channel = Channel.Web, OccurredAt = at.AddMinutes(1) },
        new() { EventId = $"{id}:view", CustomerId = id, Type = CustomerEventType.ProductView, Channel = Channel.Web, OccurredAt = at.AddMinutes(2), ProductId = $"p-{i % 500}", Category = "shoes" },
        new() { EventId = $"{id}:cart", CustomerId = id, Type = CustomerEventType.AddToCart, Channel = Channel.Web, OccurredAt = at.AddMinutes(3), Items = [new LineItem($"p-{i % 500}", 1, 10 + i % 90)] },
        new() { EventId = $"{id}:buy", CustomerId = id, Type = CustomerEventType.Purchase, Channel = Channel.Web, OccurredAt = at.AddMinutes(4), Amount = 10 + i % 90, Currency = "EUR", OrderId = $"o-{id}", Items = [new LineItem($"p-{i % 500}", 1, 10 + i % 90)] },
        PageView(id, 0, at.AddMinutes(5)),
    ];

    private static CustomerEvent PageView(string id, long n, DateTime? at = null) => new()
    {
        EventId = $"{id}:page-{n}", CustomerId = id, Type = CustomerEventType.PageView, Channel = Channel.Web, OccurredAt = at ?? DateTime.UtcNow,
        Properties = new() { ["path"] = TraitValue.Of("/products") },
    };

    // Inbound decisions never queue deliveries; the silo still needs the service.
    private sealed class DiscardingQueue : IDeliveryQueue
    {
        public Task EnqueueAsync(string campaignId, IReadOnlyList<CampaignDelivery> deliveries, CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
