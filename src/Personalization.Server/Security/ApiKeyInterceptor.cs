using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Personalization.Server.Browsers;
using Personalization.Server.Limits;
using Personalization.V1;

namespace Personalization.Server.Security;

/// <summary>
/// Checks every call's API key (header <c>x-api-key</c>) against the configured hashes, the role
/// the method needs and the key's request rate: a missing or unknown key is UNAUTHENTICATED, a
/// known key without the role PERMISSION_DENIED, a key over its cluster-wide rate (<see cref="KeyRateLimits"/>) RESOURCE_EXHAUSTED; nothing
/// runs before the check. A publishable key (a web page's) may name a known customer only with a
/// valid customer token (<see cref="CustomerTokens"/>); anonymous visitors need none. A key that acts for
/// people (<see cref="ApiKeySettings.ActsForPeople"/>, the console's keys under OpenID Connect) may name the
/// person in <c>x-on-behalf-of</c>; any other key sending it is PERMISSION_DENIED, a malformed one INVALID_ARGUMENT.
/// </summary>
public sealed class ApiKeyInterceptor(AuthSettings settings, KeyRateLimits limits, BrowserSettings browsers, TimeProvider time) : Interceptor
{
    /// <summary>The header that carries the key.</summary>
    public const string Header = "x-api-key";

    /// <summary>The header that names the person a sign-in front end's key acts for.</summary>
    public const string OnBehalfOfHeader = "x-on-behalf-of";

    /// <summary>The longest person name <see cref="OnBehalfOfHeader"/> may carry.</summary>
    public const int MaxPersonLength = 256;

    private readonly Dictionary<string, (string Name, string[] Roles, bool ActsForPeople)> _byHash = settings.Keys
        .ToDictionary(k => k.Value.Sha256.ToLowerInvariant(), k => (k.Key, k.Value.Roles, k.Value.ActsForPeople), StringComparer.Ordinal);

    /// <summary>The SHA-256 (lower-case hex) of a key, as configured.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context, request);
        return await continuation(request, context);
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context);
        return await continuation(requestStream, context);
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context);
        await continuation(request, responseStream, context);
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        await AuthorizeAsync(context);
        await continuation(requestStream, responseStream, context);
    }

    /// <summary>The key a call was made with, once recognised (null when keys are disabled or the method needs none).</summary>
    public static ApiKeyCaller? Caller(ServerCallContext context) =>
        context.UserState.TryGetValue(typeof(ApiKeyCaller), out var caller) ? caller as ApiKeyCaller : null;

    private ValueTask AuthorizeAsync(ServerCallContext context, object? request = null)
    {
        if (!settings.Enabled || Roles.Required(context.Method) is not { } required)
        {
            return ValueTask.CompletedTask;
        }

        var key = context.RequestHeaders.GetValue(Header);
        if (string.IsNullOrEmpty(key) || !_byHash.TryGetValue(Hash(key), out var caller))
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, $"{Header}: {(string.IsNullOrEmpty(key) ? "missing" : "not a known key")}; every call except health, reflection and ping needs one."));
        }

        var person = context.RequestHeaders.GetValue(OnBehalfOfHeader);
        if (person is not null)
        {
            if (!caller.ActsForPeople)
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied, $"{OnBehalfOfHeader}: key '{caller.Name}' may not act for a person (only a key with Auth:Keys:{caller.Name}:ActsForPeople may)."));
            }

            if (PersonProblem(person) is { } problem)
            {
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"{OnBehalfOfHeader}: {problem}"));
            }
        }

        context.UserState[typeof(ApiKeyCaller)] = new ApiKeyCaller(caller.Name, caller.Roles, person);
        if (!Roles.Allows(caller.Roles, required, context.Method))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"key '{caller.Name}' has roles [{string.Join(", ", caller.Roles)}]; {context.Method} needs '{required}' (or admin)."));
        }

        if (Roles.OnlyPublishable(caller.Roles) && KnownCustomer(request) is { } customerId)
        {
            CheckToken(context, caller.Name, customerId);
        }

        var taken = limits.TakeAsync(caller.Name);
        return taken.IsCompletedSuccessfully ? Refuse(taken.Result) : RefuseAsync(taken);
    }

    // The limit check usually answers at once (a token from this silo's lease); it waits only for a new lease.
    private static ValueTask Refuse(string? over) =>
        over is null ? ValueTask.CompletedTask : throw new RpcException(new Status(StatusCode.ResourceExhausted, over));

    private static async ValueTask RefuseAsync(ValueTask<string?> taken) => await Refuse(await taken);

    // The known customer a publishable call acts for: Decide's customer unless an anonymous visitor
    // (anon:…), Track's event customer_id (an anonymous event names only anonymous_id).
    private static string? KnownCustomer(object? request) => request switch
    {
        DecideRequest d when !d.CustomerId.StartsWith(Decisioning.Customers.CustomerKeys.AnonymousPrefix, StringComparison.Ordinal) => d.CustomerId,
        TrackRequest t when !string.IsNullOrEmpty(t.Event?.CustomerId) => t.Event.CustomerId,
        _ => null,
    };

    private void CheckToken(ServerCallContext context, string keyName, string customerId)
    {
        var problem = browsers.CustomerTokenSecret.Length == 0
            ? "not accepted: no Browser:CustomerTokenSecret is configured, so publishable keys serve anonymous visitors only"
            : CustomerTokens.Problem(context.RequestHeaders.GetValue(CustomerTokens.Header), customerId, browsers.CustomerTokenSecret, time.GetUtcNow(), browsers.MaxTokenLifetime);
        if (problem is not null)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"{CustomerTokens.Header}: publishable key '{keyName}' may act for customer '{Cut(customerId)}' only with a valid customer token signed by the site's backend (token {problem})."));
        }
    }

    /// <summary>What is wrong with a person named in <see cref="OnBehalfOfHeader"/> (1–256 printable ASCII characters), or null.</summary>
    public static string? PersonProblem(string person) =>
        person.Length == 0 ? "is empty; name the person (their e-mail or subject) or leave the header out."
        : person.Length > MaxPersonLength ? $"is {person.Length} characters; at most {MaxPersonLength}."
        : person.Any(c => c is < ' ' or > '~') ? "must be printable ASCII (an e-mail address or the identity provider's subject)."
        : null;

    private static string Cut(string id) => id.Length > 64 ? id[..64] + "…" : id;
}

/// <summary>A recognised API key: its configured name and roles, and the person it acts for (a sign-in front end's key), if named.</summary>
public sealed record ApiKeyCaller(string Name, IReadOnlyCollection<string> Roles, string? OnBehalfOf = null);
