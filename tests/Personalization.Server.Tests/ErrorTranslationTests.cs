using System.Net.Sockets;
using Azure;
using Grpc.Core;
using Orleans.Storage;
using Personalization.Server.Grpc;

namespace Personalization.Server.Tests;

/// <summary>Which status an unexpected exception becomes (the pure half of ErrorInterceptor).</summary>
public sealed class ErrorTranslationTests
{
    public static TheoryData<Exception, StatusCode> Known => new()
    {
        { new RequestFailedException(503, "Service Unavailable"), StatusCode.Unavailable },
        { new RequestFailedException(0, "connection refused"), StatusCode.Unavailable },
        { new AggregateException(new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused))), StatusCode.Unavailable },
        { new InvalidOperationException("activation failed", new RequestFailedException(500, "boom")), StatusCode.Unavailable },
        { new InconsistentStateException("etag mismatch"), StatusCode.Aborted },
        { new LimitExceededException("queue full"), StatusCode.Unavailable },
        { new TimeoutException("no answer in 30 s"), StatusCode.Unavailable },
        { new SiloUnavailableException("silo gone"), StatusCode.Unavailable },
        { Undecodable(), StatusCode.InvalidArgument },
    };

    // The exception protobuf throws for bytes that are not a message (its constructors are internal).
    private static Exception Undecodable()
    {
        try
        {
            Personalization.V1.Event.Parser.ParseFrom([0xFF, 0xFF, 0xFF, 0xFF]);
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            return e;
        }

        throw new InvalidOperationException("the bytes decoded");
    }

    [Theory]
    [MemberData(nameof(Known))]
    public void StorageAndClusterTroubleTellTheCallerToRetry(Exception exception, StatusCode expected)
    {
        var status = ErrorInterceptor.Classify(exception, cancelled: false);

        Assert.NotNull(status);
        Assert.Equal(expected, status.Value.Code);
        Assert.DoesNotContain("Exception", status.Value.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void AClientErrorFromStorageAndAnUnknownBugAreNotDisguisedAsRetryable()
    {
        Assert.Null(ErrorInterceptor.Classify(new RequestFailedException(403, "forbidden"), cancelled: false));
        Assert.Null(ErrorInterceptor.Classify(new InvalidOperationException("a bug"), cancelled: false));
    }

    [Fact]
    public void ACancelledCallIsCancelledOnlyWhenTheCallerCancelled()
    {
        Assert.Equal(StatusCode.Cancelled, ErrorInterceptor.Classify(new OperationCanceledException(), cancelled: true)!.Value.Code);
        Assert.Null(ErrorInterceptor.Classify(new OperationCanceledException(), cancelled: false));
    }
}
