using Orleans.Storage;

namespace Personalization.AzureStorage.Tests;

/// <summary>
/// What grains rely on from the grain storage, checked on each durable provider as the server
/// configures it: records, ETags, clearing, state names, grain types and keys.
/// </summary>
[Collection(StorageCollection.Name)]
public sealed class GrainStorageConformanceTests(StorageServers servers)
{
    private const string StateName = "state";

    public static TheoryData<string> Providers => StorageServers.Providers;

    public static TheoryData<string, string> ProvidersAndKeys
    {
        get
        {
            var data = new TheoryData<string, string>();
            string[] keys =
            [
                "Zoë", "5f1c0b3e-8a7d-4c52-9d1e-0f6a2b3c4d5e", "anon:cookie-42", "a/b", "a\\b", "a#b", "a?b", "100%", "with space",
                "~7E", "x~2Fy", "日本語", "emoji 🎉", "'; DROP TABLE customers; --", new string('k', 128),
            ];
            foreach (var provider in StorageServers.Providers)
            {
                foreach (var key in keys)
                {
                    data.Add(provider, key);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AMissingStateReadsAsNoRecord(string provider)
    {
        var state = new GrainState<TestState>();

        await servers.Storage(provider).ReadStateAsync(StateName, Grain(), state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AWrittenStateReadsBackWhole(string provider)
    {
        var storage = servers.Storage(provider);
        var grain = Grain();
        var written = State("gold plan", 42, "a", "b");

        await storage.WriteStateAsync(StateName, grain, written);
        var read = new GrainState<TestState>();
        await storage.ReadStateAsync(StateName, grain, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal(("gold plan", 42, "a,b"), (read.State!.Text, read.State!.Number, string.Join(",", read.State!.Items)));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task EachWriteChangesTheETagAndAClearDropsIt(string provider)
    {
        var storage = servers.Storage(provider);
        var grain = Grain();
        var state = State("one", 1);

        await storage.WriteStateAsync(StateName, grain, state);
        var first = state.ETag;
        state.State!.Number = 2;
        await storage.WriteStateAsync(StateName, grain, state);
        var second = state.ETag;
        await storage.ClearStateAsync(StateName, grain, state);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        Assert.False(state.RecordExists);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AWriteWithAStaleETagThrowsAndKeepsTheNewerState(string provider)
    {
        var storage = servers.Storage(provider);
        var grain = Grain();
        var mine = State("first", 1);
        await storage.WriteStateAsync(StateName, grain, mine);
        var theirs = new GrainState<TestState>();
        await storage.ReadStateAsync(StateName, grain, theirs);
        theirs.State!.Text = "newer";
        await storage.WriteStateAsync(StateName, grain, theirs);

        mine.State!.Text = "older";
        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, mine));

        Assert.Equal("newer", (await ReadAsync(storage, grain)).State!.Text);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ASecondFirstWriteOfTheSameGrainThrows(string provider)
    {
        var storage = servers.Storage(provider);
        var grain = Grain();
        await storage.WriteStateAsync(StateName, grain, State("winner", 1));

        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, State("loser", 2)));

        Assert.Equal("winner", (await ReadAsync(storage, grain)).State!.Text);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AClearWithAStaleETagThrowsAndDeletesNothing(string provider)
    {
        var storage = servers.Storage(provider);
        var grain = Grain();
        var mine = State("first", 1);
        await storage.WriteStateAsync(StateName, grain, mine);
        var theirs = await ReadAsync(storage, grain);
        theirs.State!.Text = "newer";
        await storage.WriteStateAsync(StateName, grain, theirs);

        await Assert.ThrowsAnyAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grain, mine));

        Assert.Equal("newer", (await ReadAsync(storage, grain)).State!.Text);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AClearedStateReadsAsNoRecordAndCanBeWrittenAgain(string provider)
    {
        var storage = servers.Storage(provider);
        var grain = Grain();
        var state = State("erase me", 7);
        await storage.WriteStateAsync(StateName, grain, state);

        await storage.ClearStateAsync(StateName, grain, state);
        var cleared = await ReadAsync(storage, grain);
        var again = State("back", 8);
        await storage.WriteStateAsync(StateName, grain, again);

        Assert.False(cleared.RecordExists);
        Assert.Equal("", cleared.State!.Text);
        Assert.Equal("back", (await ReadAsync(storage, grain)).State!.Text);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task StateNamesAndGrainTypesAreIndependent(string provider)
    {
        var storage = servers.Storage(provider);
        var key = Guid.NewGuid().ToString("N");

        await storage.WriteStateAsync("customer", GrainId.Create("customer", key), State("customer state", 1));
        await storage.WriteStateAsync("index", GrainId.Create("customer", key), State("index state", 2));
        await storage.WriteStateAsync("customer", GrainId.Create("segment", key), State("segment state", 3));

        Assert.Equal("customer state", (await ReadAsync(storage, GrainId.Create("customer", key), "customer")).State!.Text);
        Assert.Equal("index state", (await ReadAsync(storage, GrainId.Create("customer", key), "index")).State!.Text);
        Assert.Equal("segment state", (await ReadAsync(storage, GrainId.Create("segment", key), "customer")).State!.Text);
    }

    [Theory]
    [MemberData(nameof(ProvidersAndKeys))]
    public async Task AnAwkwardKeyRoundTrips(string provider, string key)
    {
        var storage = servers.Storage(provider);
        var grain = GrainId.Create($"awkward{Guid.NewGuid():N}", key);

        await storage.WriteStateAsync(StateName, grain, State(key, key.Length));

        Assert.Equal(key, (await ReadAsync(storage, grain)).State!.Text);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task LongKeysThatDifferOnlyAtTheEndStayApart(string provider)
    {
        // The hand-written provider cut long keys and appended a hash, so a key whose end looked like
        // an escape (~XX) could land on another key's blob.
        var storage = servers.Storage(provider);
        var type = $"long{Guid.NewGuid():N}";
        var stem = new string('l', 995);
        string[] keys = [stem + "-0001", stem + "-0002", stem + "~2F01", stem + "~7E01"];

        foreach (var key in keys)
        {
            await storage.WriteStateAsync(StateName, GrainId.Create(type, key), State(key[^5..], key.Length));
        }

        foreach (var key in keys)
        {
            Assert.Equal(key[^5..], (await ReadAsync(storage, GrainId.Create(type, key))).State!.Text);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task KeysThatDifferOnlyInCharactersAStoreCannotNameStayApart(string provider)
    {
        // Blob names treat / as a folder and table keys forbid / \ # ?: a provider that replaced them
        // would put these on one record (Orleans' Table provider does: a/b and a\b are one entity; a\b
        // is left out here because the blob provider's URI turns it into a/b, see the skipped test below).
        var storage = servers.Storage(provider);
        var type = $"chars{Guid.NewGuid():N}";
        string[] keys = ["a/b", "a#b", "a?b", "a_b", "a%2Fb", "a~2Fb", "a b", "a+b"];

        foreach (var key in keys)
        {
            await storage.WriteStateAsync(StateName, GrainId.Create(type, key), State(key, 0));
        }

        foreach (var key in keys)
        {
            Assert.Equal(key, (await ReadAsync(storage, GrainId.Create(type, key))).State!.Text);
        }
    }

    [Theory(Skip = "Known defect of Orleans' Azure Blob provider 10.4.2 (README: known limits): the blob name keeps the key as it is and the request URI normalizes it, so a\\b is a/b, a/./b is a/b, and ../x leaves the container (the write then retries without end).")]
    [MemberData(nameof(Providers))]
    public async Task KeysThatAUriNormalizesStayApart(string provider)
    {
        var storage = servers.Storage(provider);
        var type = $"dots{Guid.NewGuid():N}";
        string[] keys = ["a/b", "a\\b", "a/./b", "a/../a/b"];

        foreach (var key in keys)
        {
            await storage.WriteStateAsync(StateName, GrainId.Create(type, key), State(key, 0));
        }

        foreach (var key in keys)
        {
            Assert.Equal(key, (await ReadAsync(storage, GrainId.Create(type, key))).State!.Text);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ParallelWritesToDifferentGrainsAllLand(string provider)
    {
        var storage = servers.Storage(provider);
        var type = $"parallel{Guid.NewGuid():N}";

        await Task.WhenAll(Enumerable.Range(0, 64).Select(i => storage.WriteStateAsync(StateName, GrainId.Create(type, $"c{i}"), State($"v{i}", i))));

        var read = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => ReadAsync(storage, GrainId.Create(type, $"c{i}"))));
        Assert.Equal(Enumerable.Range(0, 64).Select(i => $"v{i}"), read.Select(r => r.State!.Text));
    }

    private static GrainId Grain() => GrainId.Create("conformance", Guid.NewGuid().ToString("N"));

    private static GrainState<TestState> State(string text, int number, params string[] items) =>
        new() { State = new TestState { Text = text, Number = number, Items = [.. items] } };

    private static async Task<GrainState<TestState>> ReadAsync(IGrainStorage storage, GrainId grain, string stateName = StateName)
    {
        var state = new GrainState<TestState>();
        await storage.ReadStateAsync(stateName, grain, state);
        return state;
    }
}
