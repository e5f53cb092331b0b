using Personalization.V1;

namespace Personalization.Server.Grpc;

/// <summary>
/// CampaignService (protos/personalization/v1/campaigns.proto). Mapped now so reflection lists it and
/// callers get UNIMPLEMENTED from the generated base until issue #6 adds the RPCs.
/// </summary>
public sealed class CampaignGrpcService : CampaignService.CampaignServiceBase;
