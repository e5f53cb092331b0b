using Personalization.Contracts.Persistence;

namespace Personalization.Grains.Customers;

/// <summary>
/// No change log: with memory storage (benchmarks, demos, in-process test clusters) nothing outlives
/// the silo anyway, so customers answer from memory and snapshot on their timer.
/// </summary>
public sealed class UnloggedCustomerLog : ICustomerLog
{
    public string? Name => null;

    public bool HasRoom => true;

    public TimeSpan AppendLatency => TimeSpan.Zero;

    public long Pin() => 0;

    public void Unpin(long segment)
    {
    }

    public Task AppendAsync(ReadOnlyMemory<byte> frames) => Task.CompletedTask;

    public Task<IReadOnlyList<LogRecord>> ReadAsync(string log, string key, long claim, long afterSeq) => Task.FromResult<IReadOnlyList<LogRecord>>([]);

    public Task<IReadOnlyList<string>> OrphanedLogsAsync() => Task.FromResult<IReadOnlyList<string>>([]);

    public Task<IReadOnlyCollection<string>> KeysAsync(string log) => Task.FromResult<IReadOnlyCollection<string>>([]);

    public Task DeleteAsync(string log) => Task.CompletedTask;
}
