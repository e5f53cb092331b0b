using Grpc.Core;
using Personalization.Contracts.Campaigns;
using Personalization.Contracts.Offers;
using Personalization.Contracts.Segments;
using Personalization.Decisioning.Campaigns;
using Personalization.V1;
using CampaignProgress = Personalization.V1.CampaignProgress;
using CampaignState = Personalization.V1.CampaignState;
using DomainState = Personalization.Contracts.Campaigns.CampaignState;

namespace Personalization.Server.Grpc;

/// <summary>CampaignService: validates campaigns at the edge and drives the campaign grains.</summary>
public sealed class CampaignGrpcService(IGrainFactory grains, TimeProvider time) : CampaignService.CampaignServiceBase
{
    private const int MaxWatchIntervalMs = 60_000;

    public override async Task<Campaign> CreateCampaign(CreateCampaignRequest request, ServerCallContext context)
    {
        if (request.Campaign is null)
        {
            throw GrpcErrors.Invalid("campaign: is required.");
        }

        var definition = CampaignMapping.ToDomain(request.Campaign, time.GetUtcNow().UtcDateTime);
        var errors = CampaignRules.Validate(definition).Select(e => e.ToString()).ToList();
        if (errors.Count == 0)
        {
            errors.AddRange(await ReferenceProblemsAsync(definition));
        }

        if (errors.Count > 0)
        {
            throw GrpcErrors.Invalid(string.Join("; ", errors));
        }

        var result = await Campaign(definition.CampaignId).Create(definition);
        return result.Status == CampaignResultStatus.AlreadyExists
            ? throw GrpcErrors.AlreadyExists(result.Detail)
            : CampaignMapping.ToContract(result.Campaign!);
    }

    public override async Task<Campaign> GetCampaign(GetCampaignRequest request, ServerCallContext context) =>
        Checked(await Campaign(request.CampaignId).Get());

    public override async Task<ListCampaignsResponse> ListCampaigns(ListCampaignsRequest request, ServerCallContext context)
    {
        if (!Enum.IsDefined(request.State))
        {
            throw GrpcErrors.Invalid($"state: unknown campaign state {(int)request.State}.");
        }

        var size = Paging.Size(request.Page);
        var filter = request.State == CampaignState.Unspecified ? (DomainState?)null : (DomainState)(int)request.State;
        var ids = await grains.GetGrain<ICampaignRegistryGrain>(ICampaignRegistryGrain.DefaultKey).List(Paging.Decode(request.Page?.PageToken), size + 1, filter);
        var more = ids.Count > size;
        var response = new ListCampaignsResponse { Page = new PageInfo { NextPageToken = more ? Paging.Encode(ids[size - 1]) : "" } };
        var campaigns = await Task.WhenAll(ids.Take(size).Select(id => Campaign(id).Get()));
        response.Campaigns.AddRange(campaigns.Where(c => c.Campaign is not null).Select(c => CampaignMapping.ToContract(c.Campaign!)));
        return response;
    }

    public override async Task<Campaign> StartCampaign(StartCampaignRequest request, ServerCallContext context) =>
        Checked(await Campaign(request.CampaignId).Start(CampaignMapping.Time(request.StartAt)));

    public override async Task<Campaign> PauseCampaign(PauseCampaignRequest request, ServerCallContext context) =>
        Checked(await Campaign(request.CampaignId).Pause());

    public override async Task<Campaign> ResumeCampaign(ResumeCampaignRequest request, ServerCallContext context) =>
        Checked(await Campaign(request.CampaignId).Resume());

    public override async Task<Campaign> CancelCampaign(CancelCampaignRequest request, ServerCallContext context) =>
        Checked(await Campaign(request.CampaignId).Cancel());

    public override async Task WatchCampaign(WatchCampaignRequest request, IServerStreamWriter<CampaignProgress> responseStream, ServerCallContext context)
    {
        var interval = request.IntervalMs switch
        {
            0 => 1000,
            < 0 or > MaxWatchIntervalMs => throw GrpcErrors.Invalid($"interval_ms: 0 (meaning 1000) to {MaxWatchIntervalMs}, got {request.IntervalMs}."),
            var ms => ms,
        };
        var campaign = Campaign(request.CampaignId);
        while (!context.CancellationToken.IsCancellationRequested)
        {
            var view = Checked(await campaign.Get());
            await responseStream.WriteAsync(view.Progress, context.CancellationToken);
            if (view.State is CampaignState.Completed or CampaignState.Cancelled)
            {
                return;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(interval), time, context.CancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private ICampaignGrain Campaign(string id) =>
        grains.GetGrain<ICampaignGrain>(GrpcErrors.RequiredId(id, "campaign_id"));

    // The segment must exist and every candidate offer must be live in the catalog.
    private async Task<List<string>> ReferenceProblemsAsync(CampaignDefinition definition)
    {
        var problems = new List<string>();
        var segment = await grains.GetGrain<ISegmentRegistryGrain>(ISegmentRegistryGrain.DefaultKey).Get(definition.Segment);
        if (segment.Status == SegmentResultStatus.NotFound)
        {
            problems.Add($"campaign.segment: no segment '{definition.Segment}'.");
        }

        problems.AddRange(await OfferReferences.ProblemsAsync(grains.GetGrain<IOfferCatalogGrain>(IOfferCatalogGrain.DefaultKey), definition.OfferIds, "campaign.offer_ids"));
        return problems;
    }

    private static Campaign Checked(CampaignResult result) => result.Status switch
    {
        CampaignResultStatus.NotFound => throw GrpcErrors.NotFound(result.Detail),
        CampaignResultStatus.WrongState => throw GrpcErrors.FailedPrecondition(result.Detail),
        CampaignResultStatus.AlreadyExists => throw GrpcErrors.AlreadyExists(result.Detail),
        _ => CampaignMapping.ToContract(result.Campaign!),
    };
}
