using Grpc.Core;
using Personalization.Decisioning.Customers;
using Personalization.Server.Audit;
using Personalization.V1;

namespace Personalization.Server.Grpc;

/// <summary>AuditService: searches the audit trail (admin only).</summary>
public sealed class AuditGrpcService(AuditTrail trail, TimeProvider time) : AuditService.AuditServiceBase
{
    public override async Task<SearchAuditResponse> SearchAudit(SearchAuditRequest request, ServerCallContext context)
    {
        var size = Paging.Size(request.Page);
        Filter(request.KeyName, "key_name");
        Filter(request.Target, "target");
        Filter(request.Method, "method");
        var to = request.To is null ? time.GetUtcNow().UtcDateTime : request.To.ToDateTime();
        var from = request.From is null ? to.AddDays(-1) : request.From.ToDateTime();
        if (from >= to)
        {
            throw GrpcErrors.Invalid($"from: must be before to ({to:O}), got {from:O}.");
        }

        if (to - from > AuditTrail.MaxRange)
        {
            throw GrpcErrors.Invalid($"from: a search covers at most {AuditTrail.MaxRange.TotalDays:0} days; got {(to - from).TotalDays:0.#}.");
        }

        var after = Paging.Decode(request.Page?.PageToken);
        if (after is not null && !AuditTrail.IsPosition(after))
        {
            throw GrpcErrors.Invalid("page.page_token: not a token this search returned.");
        }

        var (entries, next) = await trail.SearchAsync(from, to, request.KeyName, request.Target, request.Method, size, after);
        var response = new SearchAuditResponse { Page = new PageInfo { NextPageToken = next is null ? "" : Paging.Encode(next), TotalSize = -1 } };
        response.Entries.AddRange(entries);
        return response;
    }

    // A filter names what an entry could hold: an id as ids are accepted everywhere (or a key or method name).
    private static void Filter(string value, string field)
    {
        if (value.Length > 0 && Ids.Problem(value, AuditPolicy.MaxIdLength) is { } problem)
        {
            throw GrpcErrors.Invalid($"{field}: {problem}");
        }
    }
}
