using Google.Protobuf;
using Grpc.Core;
using Personalization.Contracts.Customers;
using Personalization.Decisioning.Customers;
using Personalization.V1;

namespace Personalization.Server.Grpc;

/// <summary>
/// ProfileService: reads, exports and erases profiles. An id is looked up as a customer id first,
/// then as an anonymous id (which leads to the customer it merged into, if any).
/// ListProfiles answers UNIMPLEMENTED until the customer index arrives with segments (#6).
/// </summary>
public sealed class ProfileGrpcService(IGrainFactory grains, TimeProvider time) : ProfileService.ProfileServiceBase
{
    private const int MaxIdLength = 128;

    public override async Task<Profile> GetProfile(GetProfileRequest request, ServerCallContext context)
    {
        var (key, state) = await FindAsync(request.CustomerId);
        state.Churn = await grains.GetGrain<ICustomerGrain>(key).GetChurnScore();
        return ProfileMapping.ToProfile(key, state, Now, request.RecentDecisions == 0 ? 10 : Math.Clamp(request.RecentDecisions, 1, Decisioning.Customers.CustomerState.DecisionsKept));
    }

    public override async Task<ExportProfileResponse> ExportProfile(ExportProfileRequest request, ServerCallContext context)
    {
        var (key, state) = await FindAsync(request.CustomerId);
        return new ExportProfileResponse { Json = ByteString.CopyFrom(ProfileMapping.ToExport(key, state, Now)) };
    }

    public override async Task<ForgetProfileResponse> ForgetProfile(ForgetProfileRequest request, ServerCallContext context)
    {
        var id = CheckId(request.CustomerId);
        var erased = await grains.GetGrain<ICustomerGrain>(id).Forget();
        // An id that is only an anonymous visitor's is erased too (and it may point at no one).
        erased |= await grains.GetGrain<ICustomerGrain>(CustomerKeys.Anonymous(id)).Forget();
        return new ForgetProfileResponse { Erased = erased };
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private async Task<(string Key, CustomerState State)> FindAsync(string customerId)
    {
        var id = CheckId(customerId);
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

        throw new RpcException(new Status(StatusCode.NotFound, $"customer_id: no customer or visitor '{id}'."));
    }

    private static string CheckId(string id) =>
        id.Length is 0 or > MaxIdLength
            ? throw new RpcException(new Status(StatusCode.InvalidArgument, $"customer_id: is required, at most {MaxIdLength} characters."))
            : id;
}
