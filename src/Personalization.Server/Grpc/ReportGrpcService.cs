using System.Globalization;
using Grpc.Core;
using Microsoft.Extensions.Options;
using Personalization.Contracts.Campaigns;
using Personalization.Contracts.Reports;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Measurement;
using Personalization.V1;

namespace Personalization.Server.Grpc;

/// <summary>ReportService: validates the range and dimension, reads one KPI day grain per day and the campaigns' global-control arms, and maps the rows.</summary>
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
        var days = await Task.WhenAll(Enumerable.Range(from.DayNumber, to.DayNumber - from.DayNumber + 1)
            .Select(n => grains.GetGrain<IKpiDayGrain>(IKpiDayGrain.Key(DateOnly.FromDayNumber(n))).Get()));
        var rows = KpiReport.Rows(days, kind, id, model);
        var page = rows.Where(r => after is null || string.CompareOrdinal(r.Id, after) > 0).Take(size + 1).ToList();
        var more = page.Count > size;
        var response = new GetReportResponse
        {
            Page = new PageInfo { NextPageToken = more ? Paging.Encode(page[size - 1].Id) : "", TotalSize = rows.Count },
            Model = ReportMapping.ToContract(model),
            WindowDays = policy.Value.AttributionWindowDays,
            GlobalControl = ReportMapping.ToContract(KpiReport.GlobalControlEffect(campaigns)),
            AsOf = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(time.GetUtcNow().UtcDateTime),
        };
        response.Rows.AddRange(page.Take(size).Select(ReportMapping.ToContract));
        return response;
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
