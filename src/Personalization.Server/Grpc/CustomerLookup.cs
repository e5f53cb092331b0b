using Personalization.Contracts.Customers;
using Personalization.Decisioning.Customers;

namespace Personalization.Server.Grpc;

/// <summary>Finds the profile an id names, as the profile reads do.</summary>
public static class CustomerLookup
{
    /// <summary>
    /// The profile of <paramref name="customerId"/>: a customer id first, then an anonymous id (which leads to the
    /// customer it merged into, if any); <c>NOT_FOUND</c> naming <c>customer_id</c> when neither has a profile.
    /// </summary>
    public static async Task<(string Key, CustomerState State)> FindAsync(IGrainFactory grains, string customerId)
    {
        var id = GrpcErrors.RequiredId(customerId, "customer_id");
        if (await grains.GetGrain<ICustomerGrain>(id).GetState() is { } known)
        {
            return (id, known);
        }

        var anonymousKey = CustomerKeys.Anonymous(id);
        var visitor = await grains.GetGrain<ICustomerGrain>(anonymousKey).GetState();
        if (visitor?.MergedInto is { } owner && await grains.GetGrain<ICustomerGrain>(owner).GetState() is { } merged)
        {
            return (owner, merged);
        }

        if (visitor is { EventCount: > 0 })
        {
            return (anonymousKey, visitor);
        }

        throw GrpcErrors.NotFound($"customer_id: no customer or visitor '{id}'.");
    }
}
