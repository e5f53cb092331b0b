using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Storage;
using Personalization.AzureStorage.Storage;

namespace Personalization.AzureStorage.Tests;

/// <summary>Builds a provider on a fresh container of the shared Azurite, as a silo would.</summary>
internal static class StorageHarness
{
    private static readonly IGrainStorageSerializer Serializer = new OrleansGrainStorageSerializer(
        new ServiceCollection()
            .AddSerializer(builder => builder.AddAssembly(typeof(TestState).Assembly))
            .BuildServiceProvider()
            .GetRequiredService<Serializer>());

    public static AzureBlobGrainStorageOptions Options(string connectionString, string? container = null) => new()
    {
        ConnectionString = connectionString,
        ContainerName = container ?? $"test-{Guid.NewGuid():N}",
        GrainStorageSerializer = Serializer,
    };

    public static async Task<AzureBlobGrainStorage> CreateAsync(AzureBlobGrainStorageOptions options)
    {
        var storage = new AzureBlobGrainStorage("test", options, NullLogger<AzureBlobGrainStorage>.Instance);
        await storage.InitAsync(CancellationToken.None);
        return storage;
    }

    public static BlobContainerClient Container(AzureBlobGrainStorageOptions options) =>
        new BlobServiceClient(options.ConnectionString).GetBlobContainerClient(options.ContainerName);

    public static GrainId Grain(string key, string type = "test-grain") => GrainId.Create(type, key);

    public static GrainState<TestState> Fresh() => new() { State = new TestState() };
}
