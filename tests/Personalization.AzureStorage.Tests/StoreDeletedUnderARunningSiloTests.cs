using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Personalization.Contracts.Persistence;
using Personalization.Server.Hosting;

namespace Personalization.AzureStorage.Tests;

/// <summary>An operator deletes the grain state container while a silo runs: what the silo does next.</summary>
[Collection(StorageCollection.Name)]
public sealed class StoreDeletedUnderARunningSiloTests(StorageServers servers)
{
    [Fact]
    public async Task ADeletedContainerReadsAsEmptyAndIsCreatedAgainByTheNextWrite()
    {
        await using var server = await StorageServers.StartAsync(StorageServers.Settings(servers.Azurite, "AzureBlob"));
        var storage = server.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);
        var grain = GrainId.Create("deleted", "c1");
        await storage.WriteStateAsync("state", grain, new GrainState<TestState> { State = new TestState { Text = "before" } });
        var account = server.Services.GetRequiredService<StorageAccount>();
        var container = server.Services.GetRequiredService<StorageSettings>().Container;

        await account.Blobs.DeleteBlobContainerAsync(container);
        var afterDelete = new GrainState<TestState>();
        await storage.ReadStateAsync("state", grain, afterDelete);
        await storage.WriteStateAsync("state", grain, new GrainState<TestState> { State = new TestState { Text = "after" } });
        var reread = new GrainState<TestState>();
        await storage.ReadStateAsync("state", grain, reread);

        Assert.False(afterDelete.RecordExists);
        Assert.Equal("after", reread.State!.Text);
    }
}
