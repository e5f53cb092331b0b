namespace Personalization.Contracts.Reports;

/// <summary>
/// The customers who clicked or converted on one delivery (key: <see cref="Decisioning.Measurement.Responders.List"/>),
/// told by each customer grain when its outcome joins, so a responder list reads one grain.
/// </summary>
public interface IResponderListGrain : IGrainWithStringKey
{
    /// <summary>Adds a responder (idempotent).</summary>
    Task Add(string customerId);

    /// <summary>Removes a responder (erasure; idempotent).</summary>
    Task Remove(string customerId);

    /// <summary>How many responders the list holds.</summary>
    Task<int> Count();

    /// <summary>Up to <paramref name="max"/> customer ids after <paramref name="after"/>, in ordinal order.</summary>
    Task<List<string>> Page(string? after, int max);
}
