using Grpc.Core;
using Personalization.Server.Security;
using Personalization.V1;

namespace Personalization.Server.Grpc;

/// <summary>AccessService: tells any known key its own name and roles, so a client shows only what it may do.</summary>
public sealed class AccessGrpcService(AuthSettings settings) : AccessService.AccessServiceBase
{
    /// <summary>The key name reported when access control is off.</summary>
    public const string Anonymous = "anonymous";

    public override Task<Caller> GetCaller(GetCallerRequest request, ServerCallContext context)
    {
        // The interceptor has already refused a missing or unknown key when access control is on.
        var caller = ApiKeyInterceptor.Caller(context);
        var answer = new Caller { AccessControl = settings.Enabled, KeyName = caller?.Name ?? Anonymous, OnBehalfOf = caller?.OnBehalfOf ?? "" };
        answer.Roles.Add(caller is null ? Roles.All.Order(StringComparer.Ordinal) : caller.Roles);
        return Task.FromResult(answer);
    }
}
