using Personalization.AzureStorage.Logs;
using Personalization.Contracts.Persistence;
using Personalization.Grains.Customers;

namespace Personalization.Server.Hosting;

/// <summary>Registers the customer change log on Azure append blobs (section <c>CustomerLog</c>).</summary>
public static class CustomerLogHostingExtensions
{
    /// <summary>
    /// The silo's change log, started before grains take calls and stopped after they deactivate, and
    /// the sweep that recovers gone silos' logs. With memory storage there is no log.
    /// </summary>
    public static ISiloBuilder AddCustomerLog(this ISiloBuilder silo, StorageSettings storage, StorageAccount account, CustomerLogOptions options)
    {
        silo.Services.AddSingleton<CustomerLogSweeper>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<CustomerLogSweeper>());
        if (storage.Provider == StorageProvider.Memory)
        {
            silo.Services.AddSingleton<ICustomerLog, UnloggedCustomerLog>();
            return silo;
        }

        options.Container ??= LogContainer(storage.Container);
        silo.Services.AddSingleton(sp => new AppendBlobCustomerLog(
            account.Blobs,
            options,
            sp.GetRequiredService<ILocalSiloDetails>(),
            sp.GetRequiredService<IClusterMembershipService>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AppendBlobCustomerLog>>()));
        silo.Services.AddSingleton<ICustomerLog>(sp => sp.GetRequiredService<AppendBlobCustomerLog>());
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<AppendBlobCustomerLog>());
        return silo;
    }

    // The grain state's container name and "-log", cut to Azure's 63 characters without a trailing hyphen.
    private static string LogContainer(string stateContainer)
    {
        var name = stateContainer.Length > 59 ? stateContainer[..59].TrimEnd('-') : stateContainer;
        return name + "-log";
    }
}
