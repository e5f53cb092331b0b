using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Storage;
using Personalization.AzureStorage.Storage;

namespace Personalization.AzureStorage.Hosting;

/// <summary>Registers <see cref="AzureBlobGrainStorage"/> on a silo, in the style of the Orleans providers.</summary>
public static class AzureBlobGrainStorageExtensions
{
    /// <summary>Adds a named Azure Blob grain storage provider.</summary>
    public static ISiloBuilder AddAzureBlobGrainStorage(this ISiloBuilder builder, string name, Action<AzureBlobGrainStorageOptions> configure) =>
        builder.ConfigureServices(services => services.AddAzureBlobGrainStorage(name, configure));

    /// <summary>Adds an Azure Blob grain storage provider as the default for grains that name none.</summary>
    public static ISiloBuilder AddAzureBlobGrainStorageAsDefault(this ISiloBuilder builder, Action<AzureBlobGrainStorageOptions> configure) =>
        builder.AddAzureBlobGrainStorage(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME, configure);

    /// <summary>Adds a named Azure Blob grain storage provider.</summary>
    public static IServiceCollection AddAzureBlobGrainStorage(this IServiceCollection services, string name, Action<AzureBlobGrainStorageOptions> configure)
    {
        services.AddOptions<AzureBlobGrainStorageOptions>(name).Configure(configure);
        services.AddTransient<IPostConfigureOptions<AzureBlobGrainStorageOptions>, DefaultStorageProviderSerializerOptionsConfigurator<AzureBlobGrainStorageOptions>>();
        services.AddTransient<IConfigurationValidator>(sp =>
            new AzureBlobGrainStorageOptionsValidator(sp.GetRequiredService<IOptionsMonitor<AzureBlobGrainStorageOptions>>().Get(name), name));
        return services.AddGrainStorage(name, Create);
    }

    private static AzureBlobGrainStorage Create(IServiceProvider services, string name) =>
        new(name,
            services.GetRequiredService<IOptionsMonitor<AzureBlobGrainStorageOptions>>().Get(name),
            services.GetRequiredService<ILogger<AzureBlobGrainStorage>>());
}
