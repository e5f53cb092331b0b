using Personalization.AzureStorage.Logs;
using Personalization.Contracts.Persistence;

namespace Personalization.Server.Hosting;

/// <summary>Registers the event export (section <c>EventExport</c>): JSON Lines on the storage account when on; nothing with memory storage.</summary>
public static class EventExportHostingExtensions
{
    /// <summary>The silo's event export, started with the silo and flushed when it stops; <see cref="NoEventExport"/> when off or on memory storage.</summary>
    public static ISiloBuilder AddEventExport(this ISiloBuilder silo, StorageSettings storage, StorageAccount account, EventExportOptions options)
    {
        if (!options.Enabled || storage.Provider == StorageProvider.Memory)
        {
            // Memory storage keeps nothing past the silo, and a data lake on local disk would be a second copy to erase.
            silo.Services.AddSingleton<IEventExport, NoEventExport>();
            return silo;
        }

        options.Container ??= Container(storage.Container);
        silo.Services.AddSingleton(sp => new AppendBlobEventExport(
            account.Blobs,
            options,
            sp.GetRequiredService<ILocalSiloDetails>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AppendBlobEventExport>>()));
        silo.Services.AddSingleton<IEventExport>(sp => sp.GetRequiredService<AppendBlobEventExport>());
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<AppendBlobEventExport>());
        return silo;
    }

    // The grain state's container name and "-export", cut to Azure's 63 characters without a trailing hyphen.
    private static string Container(string stateContainer)
    {
        var name = stateContainer.Length > 56 ? stateContainer[..56].TrimEnd('-') : stateContainer;
        return name + "-export";
    }
}
