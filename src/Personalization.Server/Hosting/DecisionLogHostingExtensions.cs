using Microsoft.Extensions.Options;
using Personalization.AzureStorage.Logs;
using Personalization.Contracts.Persistence;
using Personalization.Grains.Customers;

namespace Personalization.Server.Hosting;

/// <summary>Registers the decision log (section <c>DecisionLog</c>): append blobs by day on the storage account, or memory with memory storage.</summary>
public static class DecisionLogHostingExtensions
{
    /// <summary>The silo's decision log and what customer grains log through; started with the silo, flushed when it stops.</summary>
    public static ISiloBuilder AddDecisionLog(this ISiloBuilder silo, StorageSettings storage, StorageAccount account, DecisionLogOptions options)
    {
        silo.Services.AddSingleton(Options.Create(options));
        silo.Services.AddSingleton<DecisionLogging>();
        if (storage.Provider == StorageProvider.Memory)
        {
            silo.Services.AddSingleton<IDecisionLog, MemoryDecisionLog>();
            return silo;
        }

        options.Container ??= Container(storage.Container);
        silo.Services.AddSingleton(sp => new AppendBlobDecisionLog(
            account.Blobs,
            options,
            sp.GetRequiredService<ILocalSiloDetails>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<AppendBlobDecisionLog>>()));
        silo.Services.AddSingleton<IDecisionLog>(sp => sp.GetRequiredService<AppendBlobDecisionLog>());
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<AppendBlobDecisionLog>());
        return silo;
    }

    // The grain state's container name and "-decisions", cut to Azure's 63 characters without a trailing hyphen.
    private static string Container(string stateContainer)
    {
        var name = stateContainer.Length > 53 ? stateContainer[..53].TrimEnd('-') : stateContainer;
        return name + "-decisions";
    }
}
