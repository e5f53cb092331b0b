using System.Net.Sockets;
using Azure;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Orleans.Storage;
using Personalization.Contracts.Persistence;

namespace Personalization.Server.Grpc;

/// <summary>
/// The last line of every call: an exception the service did not turn into a status becomes one a
/// caller can act on — storage or cluster trouble is UNAVAILABLE (retry with backoff), a lost
/// write race ABORTED (retry), a cancelled call CANCELLED, anything else INTERNAL with an id that
/// is in the log. Nothing internal (stack, connection strings) reaches the caller, and no detail is
/// longer than <see cref="MaxDetail"/>.
/// </summary>
public sealed partial class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (RpcException e) when (e.Status.Detail.Length > MaxDetail)
        {
            throw Shortened(e);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    public override async Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(requestStream, context);
        }
        catch (RpcException e) when (e.Status.Detail.Length > MaxDetail)
        {
            throw Shortened(e);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (RpcException e) when (e.Status.Detail.Length > MaxDetail)
        {
            throw Shortened(e);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    public override async Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(requestStream, responseStream, context);
        }
        catch (RpcException e) when (e.Status.Detail.Length > MaxDetail)
        {
            throw Shortened(e);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw Translate(e, context);
        }
    }

    /// <summary>
    /// Longest status detail sent back: details quote the offending input, and a huge input quoted
    /// whole would overflow the caller's header limit (HTTP/2 clients refuse trailers over 64 KiB).
    /// </summary>
    public const int MaxDetail = 1024;

    /// <summary>How long a caller pushed back for a busy store is asked to wait, in milliseconds.</summary>
    public const string RetryPushbackMs = "200";

    /// <summary>The same status with its detail cut to <see cref="MaxDetail"/> characters.</summary>
    public static RpcException Shortened(RpcException e) =>
        new(new Status(e.StatusCode, string.Concat(e.Status.Detail.AsSpan(0, MaxDetail - 40), $"… ({e.Status.Detail.Length} characters in all)")), e.Trailers);

    /// <summary>The status for an exception (pure: looks through wrappers to the first known cause).</summary>
    public static (StatusCode Code, string Detail)? Classify(Exception exception, bool cancelled)
    {
        if (cancelled && exception is OperationCanceledException)
        {
            return (StatusCode.Cancelled, "the call was cancelled.");
        }

        foreach (var e in Causes(exception))
        {
            switch (e)
            {
                case InvalidProtocolBufferException:
                    return (StatusCode.InvalidArgument, "the message could not be decoded as this method's request type.");
                case StorageBusyException:
                    return (StatusCode.ResourceExhausted, "storage is behind; nothing was changed: retry after a pause.");
                case InconsistentStateException:
                    return (StatusCode.Aborted, "another write to the same record won; retry the call.");
                case LimitExceededException or GatewayTooBusyException:
                    return (StatusCode.Unavailable, "the server is overloaded; retry with backoff.");
                case RequestFailedException { Status: 0 or >= 500 } or HttpRequestException or SocketException:
                    return (StatusCode.Unavailable, "storage is unavailable; retry with backoff.");
                case SiloUnavailableException or OrleansMessageRejectionException:
                    return (StatusCode.Unavailable, "a silo of the cluster is unavailable; retry with backoff.");
                case TimeoutException:
                    return (StatusCode.Unavailable, "the cluster did not answer in time; retry with backoff.");
            }
        }

        return null;
    }

    private RpcException Translate(Exception exception, ServerCallContext context)
    {
        if (Classify(exception, context.CancellationToken.IsCancellationRequested) is { } known)
        {
            LogMapped(logger, context.Method, known.Code, exception);
            // Pushback tells gRPC clients with a retry policy when to try again.
            var trailers = known.Code == StatusCode.ResourceExhausted ? new Metadata { { "grpc-retry-pushback-ms", RetryPushbackMs } } : [];
            return new RpcException(new Status(known.Code, known.Detail), trailers);
        }

        var id = Guid.NewGuid().ToString("N")[..12];
        LogUnexpected(logger, id, context.Method, exception);
        return new RpcException(new Status(StatusCode.Internal, $"internal error {id}; the server logged it."));
    }

    private static IEnumerable<Exception> Causes(Exception exception)
    {
        var pending = new Queue<Exception>([exception]);
        while (pending.Count > 0)
        {
            var e = pending.Dequeue();
            yield return e;
            if (e is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Enqueue(inner);
                }
            }
            else if (e.InnerException is { } inner)
            {
                pending.Enqueue(inner);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} failed with {Code}")]
    private static partial void LogMapped(ILogger logger, string method, StatusCode code, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "internal error {ErrorId} in {Method}")]
    private static partial void LogUnexpected(ILogger logger, string errorId, string method, Exception exception);
}
