using System.Text;
using Google.Protobuf.Collections;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Recommendations;

namespace Personalization.Server.Grpc;

/// <summary>
/// The item part of a request, validated the same way for RecommendService and for Decide's items: the
/// filter and boosts in the item rule language, and the session's page token of products already shown.
/// </summary>
public static class ItemRequests
{
    /// <summary>Most boosts one request may carry.</summary>
    public const int MaxBoosts = 10;

    /// <summary>Most products a session token remembers (the latest), and most exclusions one request may name.</summary>
    public const int MaxShown = 500;

    /// <summary>The filter rule, or INVALID_ARGUMENT naming <paramref name="field"/> with the rule's line and column.</summary>
    public static string Filter(string filter, string field) =>
        filter.Length > 0 && ItemRules.Problem(filter, field) is { } problem ? throw GrpcErrors.Invalid(problem.ToString()) : filter;

    /// <summary>The boosts in domain form, or INVALID_ARGUMENT naming the boost and its part.</summary>
    public static List<ItemBoost> Boosts(RepeatedField<V1.ItemBoost> boosts, string field)
    {
        if (boosts.Count > MaxBoosts)
        {
            throw GrpcErrors.Invalid($"{field}: at most {MaxBoosts}, got {boosts.Count}.");
        }

        return [.. boosts.Select((b, i) => Boost(b, $"{field}[{i}]"))];
    }

    private static ItemBoost Boost(V1.ItemBoost boost, string field)
    {
        if (ItemRules.Problem(boost.Rule, $"{field}.rule") is { } problem)
        {
            throw GrpcErrors.Invalid(problem.ToString());
        }

        return double.IsFinite(boost.Weight) && boost.Weight > 0
            ? new ItemBoost(boost.Rule, boost.Weight)
            : throw GrpcErrors.Invalid($"{field}.weight: must be a finite number above 0, got {boost.Weight}.");
    }

    /// <summary>
    /// The products a session's token says were shown (one per line); a token this service did not issue is
    /// INVALID_ARGUMENT naming <paramref name="field"/> and the answer field <paramref name="issuedAs"/> to pass instead.
    /// </summary>
    public static List<string> Shown(string token, string field, string issuedAs)
    {
        if (token.Length == 0)
        {
            return [];
        }

        var bytes = new byte[token.Length];
        var ids = Convert.TryFromBase64String(token, bytes, out var length) ? Encoding.UTF8.GetString(bytes, 0, length).Split('\n') : null;
        return ids is null || ids.Length > MaxShown || ids.Any(id => id.Length == 0 || Ids.Problem(id, Ids.MaxLength) is not null)
            ? throw GrpcErrors.Invalid($"{field}: not a token this service issued (pass the last answer's {issuedAs}).")
            : [.. ids];
    }

    /// <summary>The token for the session's next request: what was shown before and now, the latest <see cref="MaxShown"/>.</summary>
    public static string NextToken(IEnumerable<string> shownBefore, IEnumerable<string> shownNow) =>
        Paging.Encode(string.Join('\n', shownBefore.Concat(shownNow).TakeLast(MaxShown)));
}
