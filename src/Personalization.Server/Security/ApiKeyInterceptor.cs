using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Personalization.Server.Limits;

namespace Personalization.Server.Security;

/// <summary>
/// Checks every call's API key (header <c>x-api-key</c>) against the configured hashes, the role
/// the method needs and the key's request rate: a missing or unknown key is UNAUTHENTICATED, a
/// known key without the role PERMISSION_DENIED, a key over its rate RESOURCE_EXHAUSTED; nothing
/// runs before the check.
/// </summary>
public sealed class ApiKeyInterceptor(AuthSettings settings, KeyRateLimits limits) : Interceptor
{
    /// <summary>The header that carries the key.</summary>
    public const string Header = "x-api-key";

    private readonly Dictionary<string, (string Name, string[] Roles)> _byHash = settings.Keys
        .ToDictionary(k => k.Value.Sha256.ToLowerInvariant(), k => (k.Key, k.Value.Roles), StringComparer.Ordinal);

    /// <summary>The SHA-256 (lower-case hex) of a key, as configured.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Authorize(context);
        return continuation(requestStream, responseStream, context);
    }

    /// <summary>The key a call was made with, once recognised (null when keys are disabled or the method needs none).</summary>
    public static ApiKeyCaller? Caller(ServerCallContext context) =>
        context.UserState.TryGetValue(typeof(ApiKeyCaller), out var caller) ? caller as ApiKeyCaller : null;

    private void Authorize(ServerCallContext context)
    {
        if (!settings.Enabled || Roles.Required(context.Method) is not { } required)
        {
            return;
        }

        var key = context.RequestHeaders.GetValue(Header);
        if (string.IsNullOrEmpty(key) || !_byHash.TryGetValue(Hash(key), out var caller))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"{Header}: {(string.IsNullOrEmpty(key) ? "missing" : "not a known key")}; every call except health, reflection and ping needs one."));
        }

        context.UserState[typeof(ApiKeyCaller)] = new ApiKeyCaller(caller.Name, caller.Roles);
        if (!Roles.Allows(caller.Roles, required))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"key '{caller.Name}' has roles [{string.Join(", ", caller.Roles)}]; {context.Method} needs '{required}' (or admin)."));
        }

        if (limits.Take(caller.Name) is { } over)
        {
            throw new RpcException(new Status(StatusCode.ResourceExhausted, over));
        }
    }
}

/// <summary>A recognised API key: its configured name and roles.</summary>
public sealed record ApiKeyCaller(string Name, IReadOnlyCollection<string> Roles);
