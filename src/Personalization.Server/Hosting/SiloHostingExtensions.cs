using System.Net;
using Orleans.Configuration;
using Orleans.Storage;
using Personalization.AzureStorage.Logs;
using Personalization.AzureStorage.Queues;
using Personalization.AzureStorage.Schedules;
using Personalization.Contracts.Schedules;
using Personalization.Contracts.Campaigns;
using Personalization.Contracts.Persistence;
using Personalization.Grains.Customers;
using Personalization.Grains.Journeys;
using Personalization.Grains.Offers;
using Personalization.Grains.Products;
using Personalization.Grains.Recommendations;
using Personalization.Grains.Reports;
using Personalization.Grains.Schedules;
using Personalization.Grains.Segments;
using Personalization.Server.Health;

namespace Personalization.Server.Hosting;

/// <summary>The Orleans silo half of the host: clustering, reminders, grain state, deliveries, readiness.</summary>
public static class SiloHostingExtensions
{
    /// <summary>Configures the co-hosted silo from validated settings; everything durable is on <paramref name="account"/>.</summary>
    public static ISiloBuilder AddPersonalizationSilo(this ISiloBuilder silo, ClusterSettings cluster, StorageSettings storage, StorageAccount account, CustomerLogOptions customerLog, DecisionLogOptions decisionLog)
    {
        silo.UseClustering(cluster, account);
        silo.UseAzureTableReminderService(options => options.TableServiceClient = account.Tables);
        silo.AddGrainState(storage, account);
        silo.AddCustomerLog(storage, account, customerLog);
        silo.AddDecisionLog(storage, account, decisionLog);
        silo.Services.AddSingleton(sp => new AzureDeliveryQueue(account.Queues, storage.QueuePrefix, storage.DeliveryLead, sp.GetRequiredService<TimeProvider>()));
        silo.Services.AddSingleton<IDeliveryQueue>(sp => sp.GetRequiredService<AzureDeliveryQueue>());
        // Every silo releases scheduled deliveries when due, after each customer's last check (README: Deliveries).
        silo.Services.AddSingleton(new DeliveryReleaseOptions { Concurrency = storage.ReleaseConcurrency, PollInterval = storage.ReleasePollInterval, PausedRecheck = storage.ReleasePausedRecheck });
        silo.Services.AddSingleton<DeliveryReleaser>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<DeliveryReleaser>());
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, RetentionSweepStarter>();
        silo.Services.AddSingleton<SnapshotPacer>();
        silo.Services.AddSingleton<SegmentCache>();
        silo.Services.AddSingleton<OfferCache>();
        silo.Services.AddSingleton<OfferBudgets>();
        silo.Services.AddSingleton<ProductCache>();
        silo.Services.AddSingleton<ItemGraphCache>();
        silo.Services.AddSingleton<ItemSignals>();
        silo.Services.AddSingleton<JourneyCache>();
        silo.Services.AddSingleton<JourneyCounters>();
        silo.Services.AddSingleton<JourneyDeliveries>();
        silo.AddWakeSchedule(storage, account);
        silo.Services.AddSingleton<KpiCounters>();
        silo.Services.AddSingleton<SiloReadiness>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SiloReadiness>());
        return silo;
    }

    /// <summary>
    /// The journeys' wake-up schedule (README: Journeys, durable time): on a table of the account named after
    /// the grain-state container (so services sharing an account keep apart), or in memory with memory storage.
    /// </summary>
    private static void AddWakeSchedule(this ISiloBuilder silo, StorageSettings storage, StorageAccount account)
    {
        if (storage.Provider == StorageProvider.Memory)
        {
            silo.Services.AddSingleton<IWakeStore, MemoryWakeStore>();
        }
        else
        {
            var table = "wakes" + new string([.. storage.Container.Where(char.IsAsciiLetterOrDigit)]);
            silo.Services.AddSingleton<IWakeStore>(new TableWakeStore(account.Tables, table[..Math.Min(table.Length, 63)]));
        }

        silo.Services.AddSingleton<WakeSchedule>();
        silo.Services.AddSingleton<WakePacer>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, WakeScheduleTicker>();
    }

    /// <summary>Membership: Azure Table storage (any number of silos), or one silo that joins no other.</summary>
    private static void UseClustering(this ISiloBuilder silo, ClusterSettings cluster, StorageAccount account)
    {
        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = cluster.ClusterId;
            options.ServiceId = cluster.ServiceId;
        });

        switch (cluster.Mode)
        {
            case ClusteringMode.AzureStorage:
                silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
                silo.UseAzureStorageClustering(options => options.TableServiceClient = account.Tables);
                if (cluster.KubernetesHosting)
                {
                    silo.UseKubernetesHosting();
                }

                break;
            case ClusteringMode.Localhost:
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
                break;
            default:
                throw new InvalidConfigurationException($"setting 'Cluster:Mode' has unknown value '{cluster.Mode}'.");
        }
    }

    /// <summary>
    /// Grain state through Orleans' Azure Blob provider (or in memory), under <see cref="StorageNames.Grains"/>.
    /// Not the Table provider: measured 2.5x faster for 8 KB states on Azurite but 6x slower for the
    /// 256 KB index shards, capped at 960 KB per state, and it maps keys such as a/b and a\b to one entity (README).
    /// </summary>
    private static void AddGrainState(this ISiloBuilder silo, StorageSettings storage, StorageAccount account)
    {
        switch (storage.Provider)
        {
            case StorageProvider.AzureBlob:
                silo.AddAzureBlobGrainStorage(StorageNames.Grains, options =>
                {
                    options.BlobServiceClient = account.Blobs;
                    options.ContainerName = storage.Container;
                    // Erasure (ForgetProfile) must remove the record, not leave an empty one behind.
                    options.DeleteStateOnClear = true;
                });
                break;
            case StorageProvider.Memory:
                silo.AddMemoryGrainStorage(StorageNames.Grains);
                break;
            default:
                throw new InvalidConfigurationException($"setting 'Storage:Provider' has unknown value '{storage.Provider}'.");
        }

        // Every provider above takes this serializer: the Orleans binary format, compact and fast, and
        // tolerant of added fields as long as [Id] numbers are never reused (not the providers' JSON default).
        silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
    }
}
