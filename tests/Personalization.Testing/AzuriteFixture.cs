using Xunit;

namespace Personalization.Testing;

/// <summary>
/// Starts the repository's pinned Azurite (node_modules, installed by <c>npm ci</c>) on free
/// loopback ports with its data in memory (or, when <c>persistent</c>, in a folder of its own so it
/// can be stopped and started again on the same ports with its data), and stops it when the tests are done.
/// <para>
/// In memory, every blob write is an extent of its own, and Azurite's blob garbage collector (first ten minutes after
/// start, its protection of fresh extents inert in memory) removes every overwritten one from an indexed LokiJS
/// collection at a cost that grows with the collection, the event loop blocked: 5,000 removals from 20,000 took 193 s
/// of one core in a plain Node.js measurement. So an in-memory Azurite that took thousands of overwrites stops
/// answering ten minutes after it started. On disk, writes share 64 MB extent files and the collector has a handful
/// to look at: anything that keeps one Azurite longer than a few minutes under writes uses <see cref="Persistent"/>.
/// </para>
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private string? _location;

    /// <summary>Keep the data in a folder of its own (stop and start keep it) instead of in memory.</summary>
    public bool Persistent { get; init; }

    /// <summary>
    /// Each service in a process of its own (<c>azurite-blob</c>, <c>-queue</c>, <c>-table</c>): each Azurite service
    /// answers on one Node.js event loop, and on disk the blob service saves its whole metadata database every few
    /// seconds (88 MB of JSON at 100,000 customers), blocking that loop; apart, queue and table calls (membership,
    /// the wake schedule, deliveries) do not wait behind it.
    /// </summary>
    public bool Split { get; init; }

    // Azurite's documented development account; public and only valid against the emulator.
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly List<ServerProcess> _processes = [];

    /// <summary>The blob service port.</summary>
    public int BlobPort { get; } = FreePorts.Next();

    /// <summary>The queue service port.</summary>
    public int QueuePort { get; } = FreePorts.Next();

    /// <summary>The table service port.</summary>
    public int TablePort { get; } = FreePorts.Next();

    /// <summary>A connection string for this Azurite's blob, queue and table services.</summary>
    public string ConnectionString =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};";

    public Task InitializeAsync() => StartAsync();

    /// <summary>Stops Azurite gracefully (an outage); <see cref="StartAsync"/> brings it back with its data when persistent.</summary>
    public async Task StopAsync()
    {
        foreach (var process in _processes)
        {
            await process.StopAsync();
            await process.DisposeAsync();
        }

        _processes.Clear();
    }

    /// <summary>Starts Azurite on this fixture's ports.</summary>
    public async Task StartAsync()
    {
        if (Persistent)
        {
            _location ??= Path.Combine(Path.GetTempPath(), $"azurite-{Guid.NewGuid():N}");
        }

        var bin = Path.Combine(RepositoryPaths.Root, "node_modules", ".bin");
        if (!File.Exists(Path.Combine(bin, "azurite")))
        {
            throw new InvalidOperationException($"Azurite is not installed at {bin}: run 'npm ci' in {RepositoryPaths.Root} (deploy/local/test.sh does).");
        }

        string[] common = ["--silent", .. (_location is null ? ["--inMemoryPersistence"] : new[] { "--location", _location }), "--skipApiVersionCheck", "--disableTelemetry"];
        string[] blob = ["--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString()];
        string[] queue = ["--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString()];
        string[] table = ["--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString()];
        if (Split)
        {
            _processes.Add(await ServerProcess.StartAsync(Path.Combine(bin, "azurite-blob"), [.. common, .. blob], BlobPort));
            _processes.Add(await ServerProcess.StartAsync(Path.Combine(bin, "azurite-queue"), [.. common, .. queue], QueuePort));
            _processes.Add(await ServerProcess.StartAsync(Path.Combine(bin, "azurite-table"), [.. common, .. table], TablePort));
            return;
        }

        _processes.Add(await ServerProcess.StartAsync(Path.Combine(bin, "azurite"), [.. common, .. blob, .. queue, .. table], BlobPort));

        // All three services must be up, not just the blob one.
        foreach (var port in new[] { QueuePort, TablePort })
        {
            for (var i = 0; i < 100 && !await ServerProcess.IsListeningAsync(port); i++)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }

        if (_location is not null && Directory.Exists(_location))
        {
            Directory.Delete(_location, recursive: true);
        }
    }
}
