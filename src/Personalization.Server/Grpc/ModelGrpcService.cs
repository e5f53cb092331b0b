using Personalization.V1;

namespace Personalization.Server.Grpc;

/// <summary>
/// ModelService (protos/personalization/v1/models.proto). Mapped now so reflection lists it and
/// callers get UNIMPLEMENTED from the generated base until issue #7 adds the RPCs.
/// </summary>
public sealed class ModelGrpcService : ModelService.ModelServiceBase;
