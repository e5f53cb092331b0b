using System.Text;
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

    /// <summary>Most boosts one request may carry.</summary>
    public const int MaxBoosts = 10;

    /// <summary>Most exclusions one request may name, and most shown items a session token remembers (the latest).</summary>
    public const int MaxExcluded = 500;

    public override async Task<RecommendResponse> Recommend(RecommendRequest request, ServerCallContext context)
    {
        var key = request.CustomerId.Length > 0 ? CustomerKey(request.CustomerId)
            : request.AnonymousId.Length > 0 ? CustomerKeys.Anonymous(GrpcErrors.RequiredId(request.AnonymousId, "anonymous_id"))
            : throw GrpcErrors.Invalid("customer_id: customer_id or anonymous_id is required (a visitor's anonymous id will do).");
        var count = request.Count is < 0 or > MaxCount ? throw GrpcErrors.Invalid($"count: between 0 and {MaxCount}, got {request.Count}.") : request.Count == 0 ? 10 : request.Count;
        var productId = request.ProductId.Length == 0 ? null : GrpcErrors.RequiredId(request.ProductId, "product_id");
        if (request.Filter.Length > 0 && ItemRules.Problem(request.Filter, "filter") is { } filterProblem)
        {
            throw GrpcErrors.Invalid(filterProblem.ToString());
        }

        if (request.Boosts.Count > MaxBoosts)
        {
            throw GrpcErrors.Invalid($"boosts: at most {MaxBoosts}, got {request.Boosts.Count}.");
        }

        var boosts = request.Boosts.Select((b, i) => Boost(b, $"boosts[{i}]")).ToList();
        if (request.ExcludeProductIds.Count > MaxExcluded)
        {
            throw GrpcErrors.Invalid($"exclude_product_ids: at most {MaxExcluded}, got {request.ExcludeProductIds.Count}.");
        }

        var shown = Shown(request.PageToken);
        var excluded = request.ExcludeProductIds.Select((id, i) => GrpcErrors.RequiredId(id, $"exclude_product_ids[{i}]")).Concat(shown).ToHashSet(StringComparer.Ordinal);

        var query = new RecommendationQuery(count, productId, request.Filter, boosts, excluded);
        var items = await grains.GetGrain<IRecommenderGrain>(0).Recommend(key, query);

        var response = new RecommendResponse { NextPageToken = Paging.Encode(string.Join('\n', shown.Concat(items.Select(i => i.Product.ProductId)).TakeLast(MaxExcluded))) };
        response.Items.AddRange(items.Select(ProductMapping.ToContract));
        return response;
    }

    private static string CustomerKey(string customerId)
    {
        var id = GrpcErrors.RequiredId(customerId, "customer_id");
        return CustomerKeys.IsAnonymous(id) ? throw GrpcErrors.Invalid($"customer_id: must not start with '{CustomerKeys.AnonymousPrefix}' (use anonymous_id).") : id;
    }

    private static Decisioning.Recommendations.ItemBoost Boost(V1.ItemBoost boost, string field)
    {
        if (ItemRules.Problem(boost.Rule, $"{field}.rule") is { } problem)
        {
            throw GrpcErrors.Invalid(problem.ToString());
        }

        return double.IsFinite(boost.Weight) && boost.Weight > 0
            ? new Decisioning.Recommendations.ItemBoost(boost.Rule, boost.Weight)
            : throw GrpcErrors.Invalid($"{field}.weight: must be a finite number above 0, got {boost.Weight}.");
    }

    // The token lists the products shown on earlier pages, one per line; anything else is forged.
    private static List<string> Shown(string token)
    {
        if (token.Length == 0)
        {
            return [];
        }

        var bytes = new byte[token.Length];
        var ids = Convert.TryFromBase64String(token, bytes, out var length) ? Encoding.UTF8.GetString(bytes, 0, length).Split('\n') : null;
        return ids is null || ids.Length > MaxExcluded || ids.Any(id => id.Length == 0 || Ids.Problem(id, Ids.MaxLength) is not null)
            ? throw GrpcErrors.Invalid("page_token: not a token this service issued (pass the last answer's next_page_token).")
            : [.. ids];
    }
}
