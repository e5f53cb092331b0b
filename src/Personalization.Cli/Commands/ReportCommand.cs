using System.CommandLine;
using System.Globalization;
using Personalization.V1;

namespace Personalization.Cli.Commands;

/// <summary>
/// <c>personalize report [--from] [--to] [--by] [--id] [--model] [--daily] [--csv]</c>: KPI rows for a UTC date
/// range (or each day of it), as a table or as CSV; <c>personalize report responders</c>: who clicked or
/// converted on one campaign or journey step (campaign-manager key).
/// </summary>
public static class ReportCommand
{
    private static readonly string[] Models = ["last-touch", "first-touch", "linear", "time-decay", "position-based"];
    private static readonly string[] Dimensions = ["service", "campaign", "journey", "offer", "channel", "segment"];

    public static Command Create()
    {
        var from = new Option<string?>("--from") { Description = "First UTC day, YYYY-MM-DD; default 29 days before --to." };
        var to = new Option<string?>("--to") { Description = "Last UTC day, YYYY-MM-DD; default today." };
        var by = new Option<string>("--by") { Description = "Group by: service, campaign, journey, offer, channel, segment, or day (the service row of each day).", DefaultValueFactory = _ => "service" };
        by.AcceptOnlyFromAmong([.. Dimensions, "day"]);
        var daily = new Option<bool>("--daily") { Description = "One row per UTC day and value of --by instead of one over the range." };
        var id = new Option<string?>("--id") { Description = "Only this campaign, journey, offer, channel or segment." };
        var model = new Option<string>("--model") { Description = "Attribution model: last-touch, first-touch, linear, time-decay or position-based.", DefaultValueFactory = _ => "last-touch" };
        model.AcceptOnlyFromAmong(Models);
        var csv = new Option<bool>("--csv") { Description = "Print CSV (one header line, one line per row) instead of a table." };
        var command = new Command("report", "Print sends, deliveries, opens, clicks, conversions and revenue with rates and 95% intervals, and the global control's effect.") { from, to, by, id, model, daily, csv };
        command.Subcommands.Add(RespondersCommand());
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var client = new ReportService.ReportServiceClient(channel);
            var last = parse.GetValue(to) ?? DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var first = parse.GetValue(from) ?? (DateOnly.TryParseExact(last, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var end)
                ? end.AddDays(-29).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : last);
            var request = new GetReportRequest
            {
                FromDay = first,
                ToDay = last,
                Dimension = (ReportDimension)(Math.Max(0, Array.IndexOf(Dimensions, parse.GetValue(by))) + 1),
                ByDay = parse.GetValue(daily) || parse.GetValue(by) == "day",
                Id = parse.GetValue(id) ?? "",
                Model = (AttributionModel)(Array.IndexOf(Models, parse.GetValue(model)) + 1),
                Page = new PageRequest { PageSize = 1000 },
            };
            var rows = new List<ReportRow>();
            GetReportResponse page;
            do
            {
                page = await client.GetReportAsync(request, cancellationToken: cancellationToken);
                rows.AddRange(page.Rows);
                request.Page.PageToken = page.Page.NextPageToken;
            }
            while (request.Page.PageToken.Length > 0);

            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(csv))
            {
                await output.WriteLineAsync("dimension,id,sends,deliveries,opens,clicks,purchases,revenue,conversions,attributed_revenue,open_rate,click_rate,click_rate_low,click_rate_high,conversion_rate,conversion_rate_low,conversion_rate_high,average_order_value,revenue_per_recipient,day");
                foreach (var r in rows)
                {
                    await output.WriteLineAsync(string.Join(',', [
                        r.Dimension, Csv(r.Id), Num(r.Sends), Num(r.Deliveries), Num(r.Opens), Num(r.Clicks), Num(r.Purchases), Num(r.Revenue), Num(r.Conversions), Num(r.AttributedRevenue),
                        Num(r.OpenRate.Value), Num(r.ClickRate.Value), Num(r.ClickRate.Low), Num(r.ClickRate.High),
                        Num(r.ConversionRate.Value), Num(r.ConversionRate.Low), Num(r.ConversionRate.High), Num(r.AverageOrderValue), Num(r.RevenuePerRecipient), r.Day]));
                }

                return 0;
            }

            await output.WriteLineAsync($"{request.FromDay} to {request.ToDay}, by {parse.GetValue(by)}, {parse.GetValue(model)} attribution ({page.WindowDays.ToString(CultureInfo.InvariantCulture)}-day window)");
            foreach (var r in rows)
            {
                var purchases = r.Dimension is "service" or "segment" ? string.Create(CultureInfo.InvariantCulture, $"  purchases {Formats.Count(r.Purchases)} revenue {r.Revenue:0.00}") : "";
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{(r.Day.Length == 0 ? "" : r.Day + "  ")}{(r.Id.Length == 0 ? r.Dimension : r.Id),-24} sends {Formats.Count(r.Sends)}  delivered {Formats.Count(r.Deliveries)}  opens {Formats.Count(r.Opens)} ({Rate(r.OpenRate)})  clicks {Formats.Count(r.Clicks)} (CTR {Rate(r.ClickRate)})  conversions {r.Conversions:0.##} ({Rate(r.ConversionRate)})  revenue {r.AttributedRevenue:0.00}  AOV {r.AverageOrderValue:0.00}  per recipient {r.RevenuePerRecipient:0.00}{purchases}"));
            }

            var g = page.GlobalControl;
            await output.WriteLineAsync(g.ControlMembers == 0
                ? "global control: no member held out yet"
                : string.Create(CultureInfo.InvariantCulture,
                    $"global control: everyone {Formats.Percent(g.TreatmentValue, 2)} (n {Formats.Count(g.TreatmentMembers)}) vs control {Formats.Percent(g.ControlValue, 2)} (n {Formats.Count(g.ControlMembers)}): {g.Difference * 100:+0.00;-0.00} points [{g.Low * 100:+0.00;-0.00}, {g.High * 100:+0.00;-0.00}]"));
            return 0;
        });
        return command;
    }

    // personalize report responders --campaign C | --journey J --step S [--outcome clicked|converted]: every responder's id, a line each.
    private static Command RespondersCommand()
    {
        var campaign = new Option<string?>("--campaign") { Description = "The campaign." };
        var journey = new Option<string?>("--journey") { Description = "The journey (with --step)." };
        var step = new Option<string?>("--step") { Description = "The journey's send step." };
        var outcome = new Option<string>("--outcome") { Description = "clicked or converted.", DefaultValueFactory = _ => "converted" };
        outcome.AcceptOnlyFromAmong("clicked", "converted");
        var command = new Command("responders", "List the customers who clicked or converted on one campaign or journey send step (recorded in the audit trail).") { campaign, journey, step, outcome };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var client = new ReportService.ReportServiceClient(channel);
            var request = new ListRespondersRequest
            {
                CampaignId = parse.GetValue(campaign) ?? "",
                JourneyId = parse.GetValue(journey) ?? "",
                StepId = parse.GetValue(step) ?? "",
                Outcome = parse.GetValue(outcome) == "clicked" ? ResponderOutcome.Clicked : ResponderOutcome.Converted,
                Page = new PageRequest { PageSize = 1000 },
            };
            var output = parse.InvocationConfiguration.Output;
            ListRespondersResponse page;
            do
            {
                page = await client.ListRespondersAsync(request, cancellationToken: cancellationToken);
                foreach (var customerId in page.CustomerIds)
                {
                    await output.WriteLineAsync(customerId);
                }

                request.Page.PageToken = page.Page.NextPageToken;
            }
            while (request.Page.PageToken.Length > 0);

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{Formats.Count(page.Page.TotalSize)} {parse.GetValue(outcome)}"));
            return 0;
        });
        return command;
    }

    private static string Rate(Rate r) => $"{Formats.Percent(r.Value)} [{Formats.Percent(r.Low)}, {Formats.Percent(r.High)}] n {Formats.Count((long)r.Size)}";

    private static string Num(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static string Csv(string text) => text.IndexOfAny([',', '"', '\n', '\r']) < 0 ? text : $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
