using System.Net;
using Orleans.Configuration;
using Orleans.Storage;
using Personalization.AzureStorage.Hosting;
using Personalization.AzureStorage.Logs;
using Personalization.AzureStorage.Queues;
using Personalization.Contracts.Campaigns;
using Personalization.Contracts.Persistence;
using Personalization.Grains.Customers;
using Personalization.Grains.Offers;
using Personalization.Grains.Segments;
using Personalization.Server.Health;
using StackExchange.Redis;

namespace Personalization.Server.Hosting;

/// <summary>The Orleans silo half of the host: clustering, storage, reminders, readiness.</summary>
public static class SiloHostingExtensions
{
    /// <summary>Configures the co-hosted silo from validated settings.</summary>
    public static ISiloBuilder AddPersonalizationSilo(this ISiloBuilder silo, ClusterSettings cluster, StorageSettings storage, CustomerLogOptions customerLog)
    {
        silo.Configure<ClusterOptions>(options =>
        {
            options.ClusterId = cluster.ClusterId;
            options.ServiceId = cluster.ServiceId;
        });

        switch (cluster.Mode)
        {
            case ClusteringMode.Localhost:
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, serviceId: cluster.ServiceId, clusterId: cluster.ClusterId);
                // A single silo keeps reminders in memory; schedules do not survive a restart (README: limits).
                silo.UseInMemoryReminderService();
                break;
            case ClusteringMode.Redis:
                var redis = ConfigurationOptions.Parse(cluster.RedisConnectionString!);
                silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
                silo.UseRedisClustering(options => options.ConfigurationOptions = redis);
                silo.UseRedisReminderService(options => options.ConfigurationOptions = redis);
                if (cluster.KubernetesHosting)
                {
                    silo.UseKubernetesHosting();
                }

                break;
            default:
                throw new InvalidConfigurationException($"setting 'Cluster:Mode' has unknown value '{cluster.Mode}'.");
        }

        if (storage.Provider == StorageProvider.Memory)
        {
            silo.AddMemoryGrainStorage(StorageNames.Grains);
            silo.Services.AddSingleton<ICustomerLog, UnloggedCustomerLog>();
        }
        else
        {
            silo.AddAzureBlobGrainStorage(StorageNames.Grains, storage.Apply);
            silo.AddCustomerLog(storage, customerLog);
        }

        silo.Services.AddSingleton<CustomerLogSweeper>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<CustomerLogSweeper>());

        // State is stored with the Orleans serializer: compact, fast, and tolerant of added fields
        // as long as [Id] numbers are never reused.
        silo.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();

        silo.Services.AddSingleton<SegmentCache>();
        silo.Services.AddSingleton<OfferCache>();
        silo.Services.AddSingleton<IDeliveryQueue>(sp => new AzureDeliveryQueue(storage.ConnectionString, storage.QueuePrefix, storage.DeliveryLead, sp.GetRequiredService<TimeProvider>()));

        silo.Services.AddSingleton<SiloReadiness>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SiloReadiness>());
        return silo;
    }
}
