using Azure.Storage.Blobs;
using Orleans.Storage;

namespace Personalization.AzureStorage.Storage;

/// <summary>Settings of one named Azure Blob grain storage provider.</summary>
public sealed class AzureBlobGrainStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>The default container for grain state.</summary>
    public const string DefaultContainerName = "grainstate";

    /// <summary>
    /// An Azure Storage connection string, e.g. <c>UseDevelopmentStorage=true</c> for Azurite on its
    /// default ports. Ignored when <see cref="CreateClient"/> is set.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Builds the service client in code (e.g. with a managed identity); wins over the connection string.</summary>
    public Func<BlobServiceClient>? CreateClient { get; set; }

    /// <summary>The container that holds the state blobs; created on demand.</summary>
    public string ContainerName { get; set; } = DefaultContainerName;

    /// <summary>The silo lifecycle stage at which the container is created.</summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;

    /// <summary>Turns state into bytes and back; defaults to the silo's grain storage serializer.</summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;

    internal BlobServiceClient BuildClient() =>
        CreateClient?.Invoke() ?? new BlobServiceClient(ConnectionString);
}
