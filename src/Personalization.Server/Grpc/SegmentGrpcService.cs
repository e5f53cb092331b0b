using Personalization.V1;

namespace Personalization.Server.Grpc;

/// <summary>
/// SegmentService (protos/personalization/v1/segments.proto). Mapped now so reflection lists it and
/// callers get UNIMPLEMENTED from the generated base until issue #6 adds the RPCs.
/// </summary>
public sealed class SegmentGrpcService : SegmentService.SegmentServiceBase;
