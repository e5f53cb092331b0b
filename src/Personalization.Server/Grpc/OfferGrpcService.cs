using Personalization.V1;

namespace Personalization.Server.Grpc;

/// <summary>
/// OfferService (protos/personalization/v1/offers.proto). Mapped now so reflection lists it and
/// callers get UNIMPLEMENTED from the generated base until issue #5 adds the RPCs.
/// </summary>
public sealed class OfferGrpcService : OfferService.OfferServiceBase;
