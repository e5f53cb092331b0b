using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Personalization.AzureStorage.Diagnostics;
using Personalization.Contracts.Diagnostics;
using Personalization.V1;

namespace Personalization.Server.Grpc;

/// <summary>The no-op round trip every benchmark is measured against; optionally one empty grain call.</summary>
public sealed class PingGrpcService(IGrainFactory grains, ILocalSiloDetails silo) : PingService.PingServiceBase
{
    private const int MaxGrainKeyLength = 256;

    private readonly string _gatewaySilo = silo.SiloAddress.ToString();

    public override Task<PingResponse> Ping(PingRequest request, ServerCallContext context)
    {
        var response = new PingResponse
        {
            Payload = request.Payload,
            Info = new PongInfo { GatewaySilo = _gatewaySilo },
            ServerTime = Timestamp.FromDateTime(DateTime.UtcNow),
        };
        if (request.IncludeStorageRequests)
        {
            response.StorageRequests.Add(StorageRequests.Totals);
        }

        // The plain ping stays synchronous so it measures the gRPC stack and nothing else.
        return request.GrainKey.Length == 0 ? Task.FromResult(response) : PingGrainAsync(request.GrainKey, response);
    }

    private async Task<PingResponse> PingGrainAsync(string key, PingResponse response)
    {
        if (key.Length > MaxGrainKeyLength)
        {
            throw GrpcErrors.Invalid($"grain_key: at most {MaxGrainKeyLength} characters, got {key.Length}.");
        }

        var reply = await grains.GetGrain<IPingGrain>(key).Ping();
        response.Info.GrainSilo = reply.Silo;
        return response;
    }
}
