using Google.Protobuf;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Personalization.Server.Health;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>The gRPC front end over real HTTP/2 on loopback: ping, health, reflection, unbuilt RPCs.</summary>
[Collection(ServerCollection.Name)]
public sealed class GrpcFrontEndTests(ServerEnvironment environment)
{

    [Fact]
    public async Task PingEchoesThePayloadAndNamesTheSilo()
    {
        var client = new PingService.PingServiceClient(environment.Shared.Channel);

        var reply = await client.PingAsync(new PingRequest { Payload = ByteString.CopyFromUtf8("hello") });

        Assert.Equal("hello", reply.Payload.ToStringUtf8());
        Assert.StartsWith("S127.0.0.1:", reply.Info.GatewaySilo);
        Assert.Equal("", reply.Info.GrainSilo);
        Assert.InRange(reply.ServerTime.ToDateTime(), DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task PingWithAGrainKeyCallsTheGrainOnThisSilo()
    {
        var client = new PingService.PingServiceClient(environment.Shared.Channel);

        var reply = await client.PingAsync(new PingRequest { GrainKey = "ping-local" });

        Assert.Equal(reply.Info.GatewaySilo, reply.Info.GrainSilo);
    }

    [Fact]
    public async Task PingRejectsAnOverlongGrainKeyNamingTheField()
    {
        var client = new PingService.PingServiceClient(environment.Shared.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.PingAsync(new PingRequest { GrainKey = new string('k', 257) }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("grain_key:", error.Status.Detail);
    }

    [Fact]
    public async Task HealthIsServingOnceTheSiloIsActive()
    {
        var client = new global::Grpc.Health.V1.Health.HealthClient(environment.Shared.Channel);

        var reply = await client.CheckAsync(new HealthCheckRequest());

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
    }

    [Fact]
    public async Task ReflectionListsEveryService()
    {
        var client = new ServerReflection.ServerReflectionClient(environment.Shared.Channel);
        using var call = client.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var services = call.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name).ToHashSet();

        string[] expected =
        [
            "personalization.v1.PingService", "personalization.v1.EventService", "personalization.v1.DecisionService",
            "personalization.v1.ProfileService", "personalization.v1.OfferService", "personalization.v1.SegmentService",
            "personalization.v1.CampaignService", "personalization.v1.ModelService", "personalization.v1.JourneyService", "grpc.health.v1.Health",
        ];
        Assert.Subset(services, expected.ToHashSet());
    }

    [Fact]
    public async Task ReflectionDescribesTheContractsMessages()
    {
        var client = new ServerReflection.ServerReflectionClient(environment.Shared.Channel);
        using var call = client.ServerReflectionInfo();

        await call.RequestStream.WriteAsync(new ServerReflectionRequest { FileContainingSymbol = "personalization.v1.EventService" });
        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var files = call.ResponseStream.Current.FileDescriptorResponse.FileDescriptorProto
            .Select(bytes => Google.Protobuf.Reflection.FileDescriptorProto.Parser.ParseFrom(bytes).Name)
            .ToList();

        Assert.Contains("personalization/v1/events.proto", files);
    }

    /// <summary>A method this server does not have (a client built from a newer contract, or a typo).</summary>
    private static readonly Method<PingRequest, PingResponse> Unknown = new(MethodType.Unary, "personalization.v1.PingService", "NoSuchMethod",
        Marshallers.Create(m => m.ToByteArray(), PingRequest.Parser.ParseFrom), Marshallers.Create(m => m.ToByteArray(), PingResponse.Parser.ParseFrom));

    private static readonly Method<PingRequest, PingResponse> UnknownStream = new(MethodType.ServerStreaming, "personalization.v2.NoSuchService", "Watch",
        Marshallers.Create(m => m.ToByteArray(), PingRequest.Parser.ParseFrom), Marshallers.Create(m => m.ToByteArray(), PingResponse.Parser.ParseFrom));

    [Fact]
    public async Task AnUnknownRpcAnswersUnimplemented()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () => await environment.Shared.Channel.CreateCallInvoker().AsyncUnaryCall(Unknown, null, new CallOptions(), new PingRequest()));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task AnUnknownStreamingRpcAnswersUnimplemented()
    {
        using var call = environment.Shared.Channel.CreateCallInvoker().AsyncServerStreamingCall(UnknownStream, null, new CallOptions(), new PingRequest());

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task TheServerKeepsServingAfterAnUnimplementedCall()
    {
        await Assert.ThrowsAsync<RpcException>(async () => await environment.Shared.Channel.CreateCallInvoker().AsyncUnaryCall(Unknown, null, new CallOptions(), new PingRequest()));

        var reply = await new PingService.PingServiceClient(environment.Shared.Channel).PingAsync(new PingRequest());

        Assert.NotEmpty(reply.Info.GatewaySilo);
    }

    [Fact]
    public async Task HealthStopsServingWhenTheSiloStops()
    {
        var server = await TestServer.StartAsync(TestServer.Settings(environment.Azurite));
        var readiness = server.Services.GetRequiredService<SiloReadiness>();
        Assert.True(readiness.IsActive);

        await server.DisposeAsync();

        Assert.False(readiness.IsActive);
        var result = await readiness.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
    }
}
