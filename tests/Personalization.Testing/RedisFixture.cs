using Xunit;

namespace Personalization.Testing;

/// <summary>Starts a real redis-server on a free loopback port, without persistence, for membership and reminders.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private ServerProcess? _process;

    /// <summary>The port redis-server listens on.</summary>
    public int Port { get; } = FreePorts.Next();

    /// <summary>A StackExchange.Redis connection string for it.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        var redis = new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("redis-server is not installed: run 'apt-get install -y redis-server' (deploy/local/test.sh does).");

        _process = await ServerProcess.StartAsync(redis,
            ["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
            Port);
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}
