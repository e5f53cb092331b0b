using Grpc.Core;
using Personalization.Contracts.Recommendations;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Recommendations;
using Personalization.V1;
using Personalization.V1.Conversions;

namespace Personalization.Server.Grpc;

/// <summary>RecommendService: validates the request, asks a local recommender worker, and carries the session's shown items in the page token.</summary>
public sealed class RecommendGrpcService(IGrainFactory grains) : RecommendService.RecommendServiceBase
{
    /// <summary>Most items one answer may hold.</summary>
    public const int MaxCount = 100;

    public override async Task<RecommendResponse> Recommend(RecommendRequest request, ServerCallContext context)
    {
        var key = request.CustomerId.Length > 0 ? CustomerKey(request.CustomerId)
            : request.AnonymousId.Length > 0 ? CustomerKeys.Anonymous(GrpcErrors.RequiredId(request.AnonymousId, "anonymous_id"))
            : throw GrpcErrors.Invalid("customer_id: customer_id or anonymous_id is required (a visitor's anonymous id will do).");
        var count = request.Count is < 0 or > MaxCount ? throw GrpcErrors.Invalid($"count: between 0 and {MaxCount}, got {request.Count}.") : request.Count == 0 ? 10 : request.Count;
        var productId = request.ProductId.Length == 0 ? null : GrpcErrors.RequiredId(request.ProductId, "product_id");
        var filter = ItemRequests.Filter(request.Filter, "filter");
        var boosts = ItemRequests.Boosts(request.Boosts, "boosts");
        if (request.ExcludeProductIds.Count > ItemRequests.MaxShown)
        {
            throw GrpcErrors.Invalid($"exclude_product_ids: at most {ItemRequests.MaxShown}, got {request.ExcludeProductIds.Count}.");
        }

        var shown = ItemRequests.Shown(request.PageToken, "page_token", "next_page_token");
        var excluded = request.ExcludeProductIds.Select((id, i) => GrpcErrors.RequiredId(id, $"exclude_product_ids[{i}]")).Concat(shown).ToHashSet(StringComparer.Ordinal);

        var query = new RecommendationQuery(count, productId, filter, boosts, excluded);
        var items = await grains.GetGrain<IRecommenderGrain>(0).Recommend(key, query);

        var response = new RecommendResponse { NextPageToken = ItemRequests.NextToken(shown, items.Select(i => i.Product.ProductId)) };
        response.Items.AddRange(items.Select(ProductMapping.ToContract));
        return response;
    }

    private static string CustomerKey(string customerId)
    {
        var id = GrpcErrors.RequiredId(customerId, "customer_id");
        return CustomerKeys.IsAnonymous(id) ? throw GrpcErrors.Invalid($"customer_id: must not start with '{CustomerKeys.AnonymousPrefix}' (use anonymous_id).") : id;
    }
}
