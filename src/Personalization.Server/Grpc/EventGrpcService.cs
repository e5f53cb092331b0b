using Personalization.V1;

namespace Personalization.Server.Grpc;

/// <summary>
/// EventService (protos/personalization/v1/events.proto). Mapped now so reflection lists it and
/// callers get UNIMPLEMENTED from the generated base until issue #3 adds the RPCs.
/// </summary>
public sealed class EventGrpcService : EventService.EventServiceBase;
