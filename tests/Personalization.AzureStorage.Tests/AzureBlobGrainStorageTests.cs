using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;
using Personalization.AzureStorage.Storage;
using Personalization.Testing;
using static Personalization.AzureStorage.Tests.StorageHarness;

namespace Personalization.AzureStorage.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobGrainStorageTests(AzuriteFixture azurite)
{
    private const string StateName = "state";

    [Fact]
    public async Task ReadOfMissingStateReportsNoRecordWithAFreshState()
    {
        var storage = await CreateAsync(Options(azurite.ConnectionString));
        var state = new GrainState<TestState>();

        await storage.ReadStateAsync(StateName, Grain("nobody"), state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.NotNull(state.State);
        Assert.Equal(0, state.State!.Number);
    }

    [Fact]
    public async Task WrittenStateReadsBackWhole()
    {
        var storage = await CreateAsync(Options(azurite.ConnectionString));
        var written = Fresh();
        written.State!.Text = "gold plan";
        written.State!.Number = 42;
        written.State!.Items.AddRange(["a", "b"]);

        await storage.WriteStateAsync(StateName, Grain("round-trip"), written);
        var read = new GrainState<TestState>();
        await storage.ReadStateAsync(StateName, Grain("round-trip"), read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.Equal("gold plan", read.State!.Text);
        Assert.Equal(42, read.State!.Number);
        Assert.Equal(["a", "b"], read.State!.Items);
    }

    [Fact]
    public async Task EachWriteAndClearChangesTheETag()
    {
        var storage = await CreateAsync(Options(azurite.ConnectionString));
        var state = Fresh();

        await storage.WriteStateAsync(StateName, Grain("etags"), state);
        var first = state.ETag;
        state.State!.Number++;
        await storage.WriteStateAsync(StateName, Grain("etags"), state);
        var second = state.ETag;
        await storage.ClearStateAsync(StateName, Grain("etags"), state);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task WriteWithAStaleETagThrowsAndKeepsTheNewerState()
    {
        var storage = await CreateAsync(Options(azurite.ConnectionString));
        var mine = Fresh();
        await storage.WriteStateAsync(StateName, Grain("stale-write"), mine);
        var theirs = new GrainState<TestState>();
        await storage.ReadStateAsync(StateName, Grain("stale-write"), theirs);
        theirs.State!.Text = "newer";
        await storage.WriteStateAsync(StateName, Grain("stale-write"), theirs);

        mine.State!.Text = "older";
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Grain("stale-write"), mine));

        var read = new GrainState<TestState>();
        await storage.ReadStateAsync(StateName, Grain("stale-write"), read);
        Assert.Equal("newer", read.State!.Text);
    }

    [Fact]
    public async Task ClearWithAStaleETagThrowsAndDeletesNothing()
    {
        var storage = await CreateAsync(Options(azurite.ConnectionString));
        var mine = Fresh();
        await storage.WriteStateAsync(StateName, Grain("stale-clear"), mine);
        var theirs = new GrainState<TestState>();
        await storage.ReadStateAsync(StateName, Grain("stale-clear"), theirs);
        await storage.WriteStateAsync(StateName, Grain("stale-clear"), theirs);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, Grain("stale-clear"), mine));

        var read = new GrainState<TestState>();
        await storage.ReadStateAsync(StateName, Grain("stale-clear"), read);
        Assert.True(read.RecordExists);
    }

    [Fact]
    public async Task ClearWithoutAnETagWhenARecordExistsThrows()
    {
        var storage = await CreateAsync(Options(azurite.ConnectionString));
        await storage.WriteStateAsync(StateName, Grain("blind-clear"), Fresh());

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, Grain("blind-clear"), Fresh()));
    }

    [Fact]
    public async Task DuplicateFirstWriteThrows()
    {
        var storage = await CreateAsync(Options(azurite.ConnectionString));
        var first = Fresh();
        var second = Fresh();
        first.State!.Text = "first";
        second.State!.Text = "second";

        await storage.WriteStateAsync(StateName, Grain("twice"), first);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, Grain("twice"), second));

        var read = new GrainState<TestState>();
        await storage.ReadStateAsync(StateName, Grain("twice"), read);
        Assert.Equal("first", read.State!.Text);
    }

    [Fact]
    public async Task ClearDeletesTheBlobAndALaterReadFindsNothing()
    {
        var options = Options(azurite.ConnectionString);
        var storage = await CreateAsync(options);
        var state = Fresh();
        await storage.WriteStateAsync(StateName, Grain("forget-me"), state);

        await storage.ClearStateAsync(StateName, Grain("forget-me"), state);

        var blobs = new List<string>();
        await foreach (var blob in Container(options).GetBlobsAsync())
        {
            blobs.Add(blob.Name);
        }

        Assert.Empty(blobs);
        var read = new GrainState<TestState>();
        await storage.ReadStateAsync(StateName, Grain("forget-me"), read);
        Assert.False(read.RecordExists);
    }

    [Fact]
    public async Task AWriteAfterAClearStartsANewRecord()
    {
        var storage = await CreateAsync(Options(azurite.ConnectionString));
        var state = Fresh();
        await storage.WriteStateAsync(StateName, Grain("again"), state);
        await storage.ClearStateAsync(StateName, Grain("again"), state);

        state.State!.Text = "reborn";
        await storage.WriteStateAsync(StateName, Grain("again"), state);

        var read = new GrainState<TestState>();
        await storage.ReadStateAsync(StateName, Grain("again"), read);
        Assert.Equal("reborn", read.State!.Text);
    }

    [Fact]
    public async Task StateNamesAreIndependent()
    {
        var storage = await CreateAsync(Options(azurite.ConnectionString));
        var profile = Fresh();
        profile.State!.Text = "profile";
        var scores = Fresh();
        scores.State!.Text = "scores";

        await storage.WriteStateAsync("profile", Grain("c1"), profile);
        await storage.WriteStateAsync("scores", Grain("c1"), scores);
        await storage.ClearStateAsync("scores", Grain("c1"), scores);

        var read = new GrainState<TestState>();
        await storage.ReadStateAsync("profile", Grain("c1"), read);
        Assert.Equal("profile", read.State!.Text);
    }

    [Fact]
    public async Task GrainTypesAreIndependent()
    {
        var storage = await CreateAsync(Options(azurite.ConnectionString));
        var customer = Fresh();
        customer.State!.Text = "customer";
        var segment = Fresh();
        segment.State!.Text = "segment";

        await storage.WriteStateAsync(StateName, Grain("same-key", "customer"), customer);
        await storage.WriteStateAsync(StateName, Grain("same-key", "segment"), segment);

        var read = new GrainState<TestState>();
        await storage.ReadStateAsync(StateName, Grain("same-key", "customer"), read);
        Assert.Equal("customer", read.State!.Text);
    }

    public static TheoryData<string> Keys => new()
    {
        "plain-string",
        "42",
        "-9223372036854775808",
        "5f1c0b3e-8a7d-4c52-9d1e-0f6a2b3c4d5e",
        "Zoë Ærøskøbing 東京 🚀",
        "with/slash and space?query=1#frag",
        "trailing.",
        "a~7E", // looks like an escape sequence
        new string('k', 1500),
    };

    [Theory]
    [MemberData(nameof(Keys))]
    public async Task AnyKeyRoundTrips(string key)
    {
        var storage = await CreateAsync(Options(azurite.ConnectionString));
        var state = Fresh();
        state.State!.Text = key;

        await storage.WriteStateAsync(StateName, Grain(key), state);
        var read = new GrainState<TestState>();
        await storage.ReadStateAsync(StateName, Grain(key), read);

        Assert.Equal(key, read.State!.Text);
    }

    [Fact]
    public async Task KeysThatOnlyDifferInEscapingStayApart()
    {
        var storage = await CreateAsync(Options(azurite.ConnectionString));
        var slash = Fresh();
        slash.State!.Text = "slash";
        var escaped = Fresh();
        escaped.State!.Text = "escaped";

        await storage.WriteStateAsync(StateName, Grain("a/b"), slash);
        await storage.WriteStateAsync(StateName, Grain("a~2Fb"), escaped);

        var read = new GrainState<TestState>();
        await storage.ReadStateAsync(StateName, Grain("a/b"), read);
        Assert.Equal("slash", read.State!.Text);
    }

    [Fact]
    public async Task ParallelWritesToDifferentGrainsAllLand()
    {
        var storage = await CreateAsync(Options(azurite.ConnectionString));
        var keys = Enumerable.Range(0, 64).Select(i => $"parallel-{i}").ToArray();

        await Task.WhenAll(keys.Select(async (key, i) =>
        {
            var state = Fresh();
            state.State!.Number = i;
            await storage.WriteStateAsync(StateName, Grain(key), state);
        }));

        var numbers = await Task.WhenAll(keys.Select(async key =>
        {
            var read = new GrainState<TestState>();
            await storage.ReadStateAsync(StateName, Grain(key), read);
            return read.State!.Number;
        }));
        Assert.Equal(Enumerable.Range(0, 64), numbers);
    }

    [Fact]
    public async Task AMissingContainerIsCreatedOnTheFirstWrite()
    {
        var options = Options(azurite.ConnectionString);
        var storage = new AzureBlobGrainStorage("lazy", options, NullLogger<AzureBlobGrainStorage>.Instance);

        await storage.WriteStateAsync(StateName, Grain("first"), Fresh());

        Assert.True(await Container(options).ExistsAsync());
    }
}
