using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using Personalization.AzureStorage.Hosting;
using Personalization.Testing;

namespace Personalization.AzureStorage.Tests;

/// <summary>Grains on a real silo keep their state across a silo restart.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SiloRestartTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task StateWrittenBeforeARestartReadsBackAfterIt()
    {
        var container = $"restart-{Guid.NewGuid():N}";

        await using (var before = await StartClusterAsync(container))
        {
            await before.Client.GetGrain<ICounterGrain>("Zoë").Add(5);
            await before.Client.GetGrain<ICounterGrain>(Guid.Parse("5f1c0b3e-8a7d-4c52-9d1e-0f6a2b3c4d5e").ToString()).Add(7);
            await before.StopAllSilosAsync();
        }

        await using var after = await StartClusterAsync(container);
        var zoe = await after.Client.GetGrain<ICounterGrain>("Zoë").Get();
        var guid = await after.Client.GetGrain<ICounterGrain>("5f1c0b3e-8a7d-4c52-9d1e-0f6a2b3c4d5e").Get();

        Assert.Equal(5, zoe);
        Assert.Equal(7, guid);
    }

    [Fact]
    public async Task ClearedStateIsGoneAfterARestart()
    {
        var container = $"restart-{Guid.NewGuid():N}";

        await using (var before = await StartClusterAsync(container))
        {
            var grain = before.Client.GetGrain<ICounterGrain>("cleared");
            await grain.Add(3);
            await grain.Reset();
            await before.StopAllSilosAsync();
        }

        await using var after = await StartClusterAsync(container);
        Assert.Equal(0, await after.Client.GetGrain<ICounterGrain>("cleared").Get());
    }

    private async Task<TestCluster> StartClusterAsync(string container)
    {
        var builder = new TestClusterBuilder(1);
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Test:ConnectionString"] = azurite.ConnectionString,
            ["Test:Container"] = container,
        }));
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return cluster;
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.AddAzureBlobGrainStorage(CounterGrain.Storage, options =>
            {
                options.ConnectionString = siloBuilder.Configuration["Test:ConnectionString"];
                options.ContainerName = siloBuilder.Configuration["Test:Container"]!;
            });
    }
}

public interface ICounterGrain : IGrainWithStringKey
{
    Task Add(int amount);

    Task<int> Get();

    Task Reset();
}

[GenerateSerializer]
public sealed class CounterState
{
    [Id(0)]
    public int Value { get; set; }
}

public sealed class CounterGrain([PersistentState("counter", CounterGrain.Storage)] IPersistentState<CounterState> counter) : Grain, ICounterGrain
{
    public const string Storage = "blob";

    public Task Add(int amount)
    {
        counter.State.Value += amount;
        return counter.WriteStateAsync();
    }

    public Task<int> Get() => Task.FromResult(counter.State.Value);

    public Task Reset() => counter.ClearStateAsync();
}
