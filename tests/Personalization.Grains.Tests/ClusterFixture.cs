using Orleans.TestingHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Personalization.Contracts.Persistence;
using Personalization.Grains.Common;
using Personalization.Grains.Customers;
using Personalization.Grains.Journeys;
using Personalization.Contracts.Campaigns;
using Personalization.Grains.Models;
using Personalization.Grains.Offers;
using Personalization.Grains.Products;
using Personalization.Grains.Recommendations;
using Personalization.Grains.Reports;
using Personalization.Grains.Schedules;
using Personalization.Grains.Segments;
using Personalization.Contracts.Schedules;
using Personalization.Grains.Tests.Journeys;
using Personalization.Scoring.Scoring;

namespace Personalization.Grains.Tests;

/// <summary>A two-silo in-process cluster shared by the grain tests, with in-memory grain storage.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; } = new TestClusterBuilder(2).AddSiloBuilderConfigurator<SiloConfigurator>().Build();

    /// <summary>The wake-up schedule both silos share (memory storage stands in for the table).</summary>
    public static MemoryWakeStore Wakes { get; } = new();

    public Task InitializeAsync() => Cluster.DeployAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            siloBuilder.AddMemoryGrainStorage(StorageNames.Grains);
            siloBuilder.Services.AddSingleton<ICustomerLog, UnloggedCustomerLog>();
            siloBuilder.Services.AddSingleton<SnapshotPacer>();
            siloBuilder.Services.AddSingleton<ScoringService>();
            siloBuilder.Services.AddSingleton(TimeProvider.System);
            siloBuilder.Services.AddSingleton<SegmentCache>();
            siloBuilder.Services.AddSingleton<OfferCache>();
            siloBuilder.Services.AddSingleton<OfferBudgets>();
            siloBuilder.Services.AddSingleton<ProductCache>();
            siloBuilder.Services.AddSingleton<ItemGraphCache>();
            siloBuilder.Services.AddSingleton<ItemSignals>();
            siloBuilder.Services.AddSingleton<ModelResultsCounter>();
            siloBuilder.Services.AddSingleton(Options.Create(new DecisionLogOptions()));
            siloBuilder.Services.AddSingleton<IDecisionLog, MemoryDecisionLog>();
            siloBuilder.Services.AddSingleton<DecisionLogging>();
            siloBuilder.Services.AddSingleton<IEventExport, NoEventExport>();
            siloBuilder.Services.AddSingleton<JourneyCache>();
            siloBuilder.Services.AddSingleton<JourneyCounters>();
            siloBuilder.Services.AddSingleton<JourneyDeliveries>();
            siloBuilder.Services.AddSingleton<KpiCounters>();
            siloBuilder.Services.AddSingleton<MemoryDeliveryQueue>();
            siloBuilder.Services.AddSingleton<IDeliveryQueue>(sp => sp.GetRequiredService<MemoryDeliveryQueue>());
            siloBuilder.Services.AddSingleton(Options.Create(new FanoutOptions()));
            siloBuilder.UseInMemoryReminderService();
            siloBuilder.Services.AddSingleton(Options.Create(new WakeScheduleOptions { Bucket = TimeSpan.FromSeconds(1), Tick = TimeSpan.FromMilliseconds(100) }));
            siloBuilder.Services.AddSingleton<IWakeStore>(Wakes);
            siloBuilder.Services.AddSingleton<WakeSchedule>();
            siloBuilder.Services.AddSingleton<WakePacer>();
            siloBuilder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, WakeScheduleTicker>();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Cluster";
}
