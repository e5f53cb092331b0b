using System.Collections.Concurrent;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Personalization.Contracts.Diagnostics;
using Personalization.Server.Grpc;
using Personalization.Server.Security;
using Personalization.V1;

namespace Personalization.Server.Audit;

/// <summary>
/// Writes the audit trail (<see cref="AuditPolicy"/> says which calls) after the key check: who
/// (the key's name, and the person a sign-in front end's key named in <c>x-on-behalf-of</c>), what (the method and the ids it named), when, and the result. The entry is
/// stored before the answer goes back. A read or export whose entry cannot be stored is refused
/// UNAVAILABLE and returns nothing — no untraced look at a profile; a change or an erasure has
/// already happened, so it answers as it did and the failure is logged and counted. A streamed
/// export is recorded (and refused if it cannot be) before its first row.
/// </summary>
public sealed partial class AuditInterceptor(AuditTrail trail, AuthSettings auth, TimeProvider time, ILogger<AuditInterceptor> logger) : Interceptor
{
    /// <summary>How long an entry may take to store before the call goes on without it (or is refused, for a read).</summary>
    public static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(5);

    private readonly string _host = Environment.MachineName;
    private readonly ConcurrentDictionary<(string Method, bool Person), AuditKind?> _kinds = new();

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        if (KindOf(context) is not { } kind)
        {
            return await continuation(request, context);
        }

        TResponse response;
        try
        {
            response = await continuation(request, context);
        }
        catch (Exception e)
        {
            await RecordAsync(context, kind, request as IMessage, StatusOf(e, context), refuseOnFailure: false);
            throw;
        }

        await RecordAsync(context, kind, request as IMessage, StatusCode.OK, refuseOnFailure: kind is AuditKind.Read or AuditKind.Export);
        return response;
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (KindOf(context) is not { } kind)
        {
            return await continuation(requestStream, context);
        }

        TResponse response;
        try
        {
            response = await continuation(requestStream, context);
        }
        catch (Exception e)
        {
            await RecordAsync(context, kind, null, StatusOf(e, context), refuseOnFailure: false);
            throw;
        }

        // A streamed request (a model push) names its ids in the answer.
        await RecordAsync(context, kind, response as IMessage, StatusCode.OK, refuseOnFailure: false);
        return response;
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        if (KindOf(context) is not { } kind)
        {
            await continuation(request, responseStream, context);
            return;
        }

        // Rows leave as they are made: record the export before the first one.
        await RecordAsync(context, kind, request as IMessage, StatusCode.OK, refuseOnFailure: true);
        await continuation(request, responseStream, context);
    }

    private AuditKind? KindOf(ServerCallContext context)
    {
        var caller = ApiKeyInterceptor.Caller(context);
        if (auth.Enabled && caller is null)
        {
            return null;
        }

        // Every call passes here (Track and Decide too): the policy is worked out once per method and kind of key.
        var person = AuditPolicy.IsPerson(caller?.Roles);
        return _kinds.GetOrAdd((context.Method, person), static key => AuditPolicy.Kind(key.Method, key.Person ? null : [Roles.App]));
    }

    private async Task RecordAsync(ServerCallContext context, AuditKind kind, IMessage? request, StatusCode status, bool refuseOnFailure)
    {
        var entry = new AuditEntry
        {
            At = Timestamp.FromDateTime(time.GetUtcNow().UtcDateTime),
            KeyName = ApiKeyInterceptor.Caller(context)?.Name ?? "",
            OnBehalfOf = ApiKeyInterceptor.Caller(context)?.OnBehalfOf ?? "",
            Method = context.Method,
            Kind = kind,
            Status = StatusName(status),
            Host = _host,
        };
        entry.Targets.AddRange(AuditPolicy.Targets(request));
        try
        {
            // Bounded: a store that does not answer must not hold the call for the client's retries.
            using var timeout = new CancellationTokenSource(WriteTimeout, time);
            await trail.WriteAsync(entry, timeout.Token);
            ProductTelemetry.Audited(kind.ToString().ToLowerInvariant(), ok: true);
        }
        catch (Exception e) when (!context.CancellationToken.IsCancellationRequested)
        {
            ProductTelemetry.Audited(kind.ToString().ToLowerInvariant(), ok: false);
            LogAuditFailed(logger, context.Method, entry.KeyName, e.Message);
            if (refuseOnFailure)
            {
                throw new RpcException(new Status(StatusCode.Unavailable, "the audit trail could not record this call, so nothing was returned; retry with backoff."));
            }
        }
    }

    private static StatusCode StatusOf(Exception e, ServerCallContext context) =>
        e is RpcException rpc ? rpc.StatusCode : ErrorInterceptor.Classify(e, context.CancellationToken.IsCancellationRequested)?.Code ?? StatusCode.Internal;

    // "PERMISSION_DENIED", as gRPC names its codes.
    private static string StatusName(StatusCode status) =>
        string.Concat(status.ToString().Select((c, i) => i > 0 && char.IsUpper(c) && char.IsLower(status.ToString()[i - 1]) ? "_" + c : c.ToString())).ToUpperInvariant();

    [LoggerMessage(Level = LogLevel.Error, Message = "The audit trail could not record {Method} by key '{KeyName}': {Reason}")]
    private static partial void LogAuditFailed(ILogger logger, string method, string keyName, string reason);
}
