using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Personalization.Contracts.Persistence;
using Personalization.Testing;

namespace Personalization.Server.Tests;

/// <summary>Grain state lives in Azure Storage, so a whole server restart loses nothing written.</summary>
[Collection(ServerCollection.Name)]
public sealed class RestartTests(ServerEnvironment environment)
{
    [Fact]
    public async Task StateWrittenBeforeAServerRestartReadsBackAfterIt()
    {
        var settings = TestServer.Settings(environment.Azurite);

        await using (var before = await TestServer.StartAsync(settings, AddNoteGrain))
        {
            await before.Services.GetRequiredService<IGrainFactory>().GetGrain<INoteGrain>("customer-7").Write("gold plan");
        }

        await using var after = await TestServer.StartAsync(settings, AddNoteGrain);
        var note = await after.Services.GetRequiredService<IGrainFactory>().GetGrain<INoteGrain>("customer-7").Read();

        Assert.Equal("gold plan", note);
    }

    [Fact]
    public async Task StateIsNotSharedBetweenContainers()
    {
        await using (var first = await TestServer.StartAsync(TestServer.Settings(environment.Azurite), AddNoteGrain))
        {
            await first.Services.GetRequiredService<IGrainFactory>().GetGrain<INoteGrain>("customer-8").Write("first");
        }

        await using var other = await TestServer.StartAsync(TestServer.Settings(environment.Azurite), AddNoteGrain);
        var note = await other.Services.GetRequiredService<IGrainFactory>().GetGrain<INoteGrain>("customer-8").Read();

        Assert.Null(note);
    }

    private static void AddNoteGrain(ISiloBuilder silo) =>
        silo.Services.AddSerializer(serializer => serializer.AddAssembly(typeof(NoteGrain).Assembly));
}

public interface INoteGrain : IGrainWithStringKey
{
    Task Write(string text);

    Task<string?> Read();
}

[GenerateSerializer]
public sealed class NoteState
{
    [Id(0)]
    public string? Text { get; set; }
}

/// <summary>A grain that stores one note in the server's own grain storage.</summary>
public sealed class NoteGrain([PersistentState("note", StorageNames.Grains)] IPersistentState<NoteState> note) : Grain, INoteGrain
{
    public Task Write(string text)
    {
        note.State.Text = text;
        return note.WriteStateAsync();
    }

    public Task<string?> Read() => Task.FromResult(note.State.Text);
}
