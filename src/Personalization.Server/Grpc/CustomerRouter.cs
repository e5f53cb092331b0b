using Personalization.Contracts.Customers;
using Personalization.Decisioning.Customers;

namespace Personalization.Server.Grpc;

/// <summary>
/// Delivers validated events to their customer grains: grouped per customer (order kept), in
/// parallel across customers, and re-sent to the known customer when an anonymous visitor has
/// merged into one.
/// </summary>
public sealed class CustomerRouter(IGrainFactory grains)
{
    /// <summary>Applies events; returns (applied, duplicates) and the customer each landed on.</summary>
    public async Task<(int Applied, int Duplicates)> TrackAsync(IReadOnlyList<CustomerEvent> events)
    {
        var groups = events.GroupBy(CustomerKeys.For, StringComparer.Ordinal).Select(g => TrackOneAsync(g.Key, [.. g]));
        var results = await Task.WhenAll(groups);
        return (results.Sum(r => r.Applied), results.Sum(r => r.Duplicates));
    }

    /// <summary>Applies one customer's events; the result names the grain they landed on.</summary>
    public async Task<TrackResult> TrackOneAsync(string key, List<CustomerEvent> events)
    {
        var result = await grains.GetGrain<ICustomerGrain>(key).Track(events);
        // At most one hop: a known customer never forwards.
        return result.Status == TrackStatus.Forward
            ? await grains.GetGrain<ICustomerGrain>(result.CustomerId).Track(events)
            : result;
    }
}
