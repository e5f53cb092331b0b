using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Personalization.Contracts.Campaigns;
using Personalization.Contracts.Customers;
using Personalization.Contracts.Journeys;
using Personalization.Contracts.Reports;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Measurement;
using Personalization.V1;

namespace Personalization.Server.Grpc;

/// <summary>ReportService: validates the range and dimension, reads one KPI day grain per day and the campaigns' global-control arms, and maps the rows; lists one delivery's responders from its list grain.</summary>
public sealed class ReportGrpcService(IGrainFactory grains, IOptions<DecisionPolicy> policy, TimeProvider time) : ReportService.ReportServiceBase
{
    public override async Task<GetReportResponse> GetReport(GetReportRequest request, ServerCallContext context)
    {
        var from = Day(request.FromDay, "from_day");
        var to = Day(request.ToDay, "to_day");
        if (to < from)
        {
            throw GrpcErrors.Invalid($"to_day: must not be before from_day ({request.FromDay}), got {request.ToDay}.");
        }

        if (to.DayNumber - from.DayNumber + 1 > KpiReport.MaxDays)
        {
            throw GrpcErrors.Invalid($"to_day: a report covers at most {KpiReport.MaxDays} days, got {to.DayNumber - from.DayNumber + 1}.");
        }

        var kind = ReportMapping.Kind(request.Dimension);
        var model = ReportMapping.ToDomain(request.Model);
        var id = request.Id.Length == 0 ? null : GrpcErrors.RequiredId(request.Id, "id");
        if (id is not null && kind == KpiDimension.Service)
        {
            throw GrpcErrors.Invalid("id: the service row has no id; leave it empty or choose a dimension.");
        }

        var size = Paging.Size(request.Page);
        var after = Paging.Decode(request.Page?.PageToken);
        var campaigns = await CampaignsAsync(kind == "campaign" ? id : null);
        var dates = Enumerable.Range(from.DayNumber, to.DayNumber - from.DayNumber + 1).Select(DateOnly.FromDayNumber).ToList();
        var days = await Task.WhenAll(dates.Select(d => grains.GetGrain<IKpiDayGrain>(IKpiDayGrain.Key(d)).Get()));
        var rows = request.ByDay
            ? KpiReport.RowsByDay(dates.Zip(days, (d, c) => (d, (IReadOnlyDictionary<string, double[]>)c)), kind, id, model)
            : KpiReport.Rows(days, kind, id, model);
        var page = rows.Where(r => after is null || string.CompareOrdinal(ReportMapping.Position(r), after) > 0).Take(size + 1).ToList();
        var more = page.Count > size;
        var response = new GetReportResponse
        {
            Page = new PageInfo { NextPageToken = more ? Paging.Encode(ReportMapping.Position(page[size - 1])) : "", TotalSize = rows.Count },
            Model = ReportMapping.ToContract(model),
            WindowDays = policy.Value.AttributionWindowDays,
            GlobalControl = ReportMapping.ToContract(KpiReport.GlobalControlEffect(campaigns)),
            AsOf = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(time.GetUtcNow().UtcDateTime),
        };
        response.Rows.AddRange(page.Take(size).Select(ReportMapping.ToContract));
        return response;
    }

    public override async Task<ListRespondersResponse> ListResponders(ListRespondersRequest request, ServerCallContext context)
    {
        var outcome = request.Outcome switch
        {
            ResponderOutcome.Clicked => Decisioning.Decisions.Outcome.Clicked,
            ResponderOutcome.Converted => Decisioning.Decisions.Outcome.Converted,
            ResponderOutcome.Unspecified => throw GrpcErrors.Invalid("outcome: is required (clicked or converted)."),
            _ => throw GrpcErrors.Invalid($"outcome: unknown responder outcome {(int)request.Outcome}."),
        };
        var size = Paging.Size(request.Page);
        var after = Paging.Decode(request.Page?.PageToken);
        var delivery = await DeliveryAsync(request);
        var list = grains.GetGrain<IResponderListGrain>(Responders.List(delivery, outcome));
        var ids = await list.Page(after, size + 1);
        var response = new ListRespondersResponse
        {
            Page = new PageInfo { NextPageToken = ids.Count > size ? Paging.Encode(ids[size - 1]) : "" },
        };
        foreach (var id in ids.Take(size))
        {
            // Erasure takes a customer off the lists its remembered decisions name; one older than those is
            // still checked here: an erased (empty) customer is never listed, and is taken off the list.
            if (await grains.GetGrain<ICustomerGrain>(id).GetState() is null)
            {
                await list.Remove(id);
            }
            else
            {
                response.CustomerIds.Add(id);
            }
        }

        response.Page.TotalSize = await list.Count();
        return response;
    }

    // The delivery a responder request names: a known campaign, or a known journey's send step (NOT_FOUND naming the field otherwise).
    private async Task<string> DeliveryAsync(ListRespondersRequest request)
    {
        if (request.CampaignId.Length > 0 == request.JourneyId.Length > 0)
        {
            throw GrpcErrors.Invalid("campaign_id: give a campaign_id or a journey_id with its step_id, not both or neither.");
        }

        if (request.CampaignId.Length > 0)
        {
            var campaignId = GrpcErrors.RequiredId(request.CampaignId, "campaign_id");
            if (request.StepId.Length > 0)
            {
                throw GrpcErrors.Invalid("step_id: only with a journey_id.");
            }

            var campaign = await grains.GetGrain<ICampaignGrain>(campaignId).Get();
            return campaign.Campaign is null ? throw GrpcErrors.NotFound($"campaign_id: no campaign '{campaignId}'.") : Responders.Campaign(campaignId);
        }

        var journeyId = GrpcErrors.RequiredId(request.JourneyId, "journey_id");
        var stepId = GrpcErrors.RequiredId(request.StepId, "step_id");
        var journey = await grains.GetGrain<IJourneyRegistryGrain>(IJourneyRegistryGrain.DefaultKey).Get(journeyId);
        if (journey.Journey is not { } view)
        {
            throw GrpcErrors.NotFound($"journey_id: no journey '{journeyId}'.");
        }

        return view.Definition.Steps.Any(s => s.Id == stepId && s.Kind == Decisioning.Journeys.JourneyStepKind.Send)
            ? Responders.JourneyStep(journeyId, stepId)
            : throw GrpcErrors.NotFound($"step_id: journey '{journeyId}' has no send step '{stepId}'.");
    }

    private static DateOnly Day(string text, string field) =>
        text.Length == 0 ? throw GrpcErrors.Invalid($"{field}: is required (YYYY-MM-DD).")
        : DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day
        : throw GrpcErrors.Invalid($"{field}: a UTC day as YYYY-MM-DD, got '{Shown(text)}'.");

    // Text from the request echoed in an error: short, printable.
    private static string Shown(string text) => new([.. text.Take(32).Select(c => char.IsControl(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format ? '?' : c)]);

    // The measurements of one campaign (NOT_FOUND when unknown), or of every campaign.
    private async Task<List<Decisioning.Campaigns.CampaignMeasurement>> CampaignsAsync(string? campaignId)
    {
        if (campaignId is not null)
        {
            var one = await grains.GetGrain<ICampaignGrain>(campaignId).Get();
            return one.Campaign is { } view ? [view.Progress.Measurement] : throw GrpcErrors.NotFound($"id: no campaign '{campaignId}'.");
        }

        var registry = grains.GetGrain<ICampaignRegistryGrain>(ICampaignRegistryGrain.DefaultKey);
        var measurements = new List<Decisioning.Campaigns.CampaignMeasurement>();
        string? after = null;
        while (true)
        {
            var ids = await registry.List(after, 500, null);
            var views = await Task.WhenAll(ids.Select(i => grains.GetGrain<ICampaignGrain>(i).Get()));
            measurements.AddRange(views.Where(v => v.Campaign is not null).Select(v => v.Campaign!.Progress.Measurement));
            if (ids.Count < 500)
            {
                return measurements;
            }

            after = ids[^1];
        }
    }
}
