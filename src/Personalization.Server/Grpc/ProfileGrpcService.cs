using Google.Protobuf;
using Grpc.Core;
using Personalization.Contracts.Customers;
using Personalization.Decisioning.Customers;
using Personalization.V1;

namespace Personalization.Server.Grpc;

/// <summary>
/// ProfileService: reads, exports and erases profiles. An id is looked up as a customer id first,
/// then as an anonymous id (which leads to the customer it merged into, if any). ListProfiles
/// walks the sharded customer index.
/// </summary>
public sealed class ProfileGrpcService(IGrainFactory grains, TimeProvider time) : ProfileService.ProfileServiceBase
{

    public override async Task<Profile> GetProfile(GetProfileRequest request, ServerCallContext context)
    {
        var (key, state) = await FindAsync(request.CustomerId);
        state.Churn = await grains.GetGrain<ICustomerGrain>(key).GetChurnScore();
        state.KindScores = await grains.GetGrain<ICustomerGrain>(key).GetKindScores();
        return ProfileMapping.ToProfile(key, state, Now, request.RecentDecisions == 0 ? 10 : Math.Clamp(request.RecentDecisions, 1, Decisioning.Customers.CustomerState.DecisionsKept));
    }

    public override async Task<ExportProfileResponse> ExportProfile(ExportProfileRequest request, ServerCallContext context)
    {
        var (key, state) = await FindAsync(request.CustomerId);
        return new ExportProfileResponse { Json = ByteString.CopyFrom(ProfileMapping.ToExport(key, state, Now)) };
    }

    public override async Task<ForgetProfileResponse> ForgetProfile(ForgetProfileRequest request, ServerCallContext context)
    {
        var id = GrpcErrors.RequiredId(request.CustomerId, "customer_id");
        var erased = await grains.GetGrain<ICustomerGrain>(id).Forget();
        // An id that is only an anonymous visitor's is erased too (and it may point at no one).
        erased |= await grains.GetGrain<ICustomerGrain>(CustomerKeys.Anonymous(id)).Forget();
        return new ForgetProfileResponse { Erased = erased };
    }

    public override async Task<ListProfilesResponse> ListProfiles(ListProfilesRequest request, ServerCallContext context)
    {
        var size = Paging.Size(request.Page);
        var (shard, after) = Cursor(request.Page?.PageToken);
        var response = new ListProfilesResponse();
        while (shard < ICustomerIndexGrain.Shards && response.CustomerIds.Count < size)
        {
            var ids = await grains.GetGrain<ICustomerIndexGrain>(shard).Page(after, size - response.CustomerIds.Count);
            response.CustomerIds.AddRange(ids);
            if (response.CustomerIds.Count < size)
            {
                (shard, after) = (shard + 1, null);
            }
            else
            {
                after = ids[^1];
            }
        }

        var counts = await Task.WhenAll(Enumerable.Range(0, ICustomerIndexGrain.Shards).Select(s => grains.GetGrain<ICustomerIndexGrain>(s).Count()));
        response.Page = new PageInfo
        {
            TotalSize = counts.Sum(),
            NextPageToken = shard >= ICustomerIndexGrain.Shards ? "" : Paging.Encode($"{shard}:{after}"),
        };
        return response;
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private static (int Shard, string? After) Cursor(string? token)
    {
        if (Paging.Decode(token) is not { } text)
        {
            return (0, null);
        }

        var split = text.IndexOf(':', StringComparison.Ordinal);
        return split > 0 && int.TryParse(text[..split], out var shard) && shard is >= 0 and < ICustomerIndexGrain.Shards
            ? (shard, split + 1 < text.Length ? text[(split + 1)..] : null)
            : throw Paging.BadToken();
    }

    private Task<(string Key, CustomerState State)> FindAsync(string customerId) => CustomerLookup.FindAsync(grains, customerId);
}
