using Personalization.V1;

namespace Personalization.Server.Grpc;

/// <summary>
/// DecisionService (protos/personalization/v1/decisions.proto). Mapped now so reflection lists it and
/// callers get UNIMPLEMENTED from the generated base until issue #5 adds the RPCs.
/// </summary>
public sealed class DecisionGrpcService : DecisionService.DecisionServiceBase;
