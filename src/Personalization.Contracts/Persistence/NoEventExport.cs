using Personalization.Decisioning.Customers;

namespace Personalization.Contracts.Persistence;

/// <summary>The event export when it is off (the default, and always with memory storage): exports nothing.</summary>
public sealed class NoEventExport : IEventExport
{
    public bool Enabled => false;

    public (long Events, long Bytes) Written => (0, 0);

    public void Applied(string customerKey, IReadOnlyList<CustomerEvent> events, DateTime appliedAt)
    {
    }

    public void Erased(string customerKey, DateTime at)
    {
    }

    public Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<Decisioning.Learning.ExportedEvent>> ReadAsync(DateOnly? fromDay, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<Decisioning.Learning.ExportedEvent>>([]);
}
