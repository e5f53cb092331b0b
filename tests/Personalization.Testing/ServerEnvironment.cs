using Xunit;

namespace Personalization.Testing;

/// <summary>
/// What end-to-end tests share: one Azurite (storage, membership and reminders) and one running server for the tests that
/// only read. Use it as a collection fixture so tests that start silos of their own run one at a time.
/// </summary>
public sealed class ServerEnvironment : IAsyncLifetime
{
    /// <summary>
    /// The storage account of every server in the tests: on disk, not in memory. It lives for the whole test
    /// project, and in-memory Azurite stops answering ten minutes in, once it has taken thousands of grain writes (see <see cref="AzuriteFixture"/>).
    /// </summary>
    public AzuriteFixture Azurite { get; } = new() { Persistent = true };

    /// <summary>A one-silo server started once.</summary>
    public TestServer Shared { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Azurite.InitializeAsync();
        Shared = await TestServer.StartAsync(TestServer.Settings(Azurite));
    }

    public async Task DisposeAsync()
    {
        await Shared.DisposeAsync();
        await Azurite.DisposeAsync();
    }
}
