using System.Text.Json;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Cli.Tests;

/// <summary>
/// Done when of issue 17: a campaign with two variants and a holdout runs end to end over gRPC on the
/// real portfolio profiles, outcomes come back through RecordOutcome and through connector events, and
/// the campaign's results and the KPI report show per-variant rates, intervals, lift and the winner decision;
/// the report by segment and by day, and the list of who clicked.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class ReportCommandTests(ServerEnvironment environment)
{
    [Fact]
    public async Task ACampaignWithTwoVariantsAndAHoldoutIsReportedFromTheCommandLine()
    {
        await using var server = await TestServer.StartAsync(TestServer.Settings(environment.Azurite));
        var endpoint = server.Address.ToString();
        var (lines, offer) = await PortfolioData.ImportAsync(endpoint, 300);
        var rich = lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Where(p => p.GetProperty("income").ValueKind == JsonValueKind.Number && p.GetProperty("income").GetDouble() > 80000)
            .Select(p => p.GetProperty("id").GetString()!).ToList();
        var events = new EventService.EventServiceClient(server.Channel);
        var batch = new TrackBatchRequest();
        batch.Events.AddRange(rich.Select(id => new Event { EventId = $"consent-{id}", CustomerId = id, Type = EventType.ConsentGranted, Channel = Channel.Email, Consent = new ConsentDetail() }));
        await events.TrackBatchAsync(batch);
        await CliRunner.RunAsync("segment", "create", "high-income", "--rule", "income > 80000", "--endpoint", endpoint);
        await CliRunner.RunAsync("campaign", "create", "--id", "rich-ab", "--name", "Subject test", "--segment", "high-income", "--offer", offer, "--channel", "email",
            "--holdout", "0.2", "--auto-winner", "20", "--variant", "plain;weight=0.5;content=Your offer is here", "--variant", "urgent;weight=0.5;content=Last day: your offer", "--endpoint", endpoint);
        await CliRunner.RunAsync("campaign", "start", "rich-ab", "--endpoint", endpoint);
        await CliRunner.RunAsync("campaign", "watch", "rich-ab", "--endpoint", endpoint);

        // Every other treated member's results come from the email connector's events, the rest through RecordOutcome; a few buy.
        var profiles = new ProfileService.ProfileServiceClient(server.Channel);
        var decisions = new DecisionService.DecisionServiceClient(server.Channel);
        var treated = new List<(string Customer, DecisionRecord Decision)>();
        foreach (var id in rich)
        {
            var profile = await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = id });
            if (profile.RecentDecisions.SingleOrDefault(d => d.CampaignId == "rich-ab") is { } decision)
            {
                treated.Add((id, decision));
            }
        }

        var clicked = 0;
        foreach (var (customer, decision) in treated)
        {
            var byConnector = clicked % 2 == 0;
            if (byConnector)
            {
                await events.TrackAsync(new TrackRequest { Event = Message(customer, EventType.MessageDelivered, decision) });
                await events.TrackAsync(new TrackRequest { Event = Message(customer, EventType.MessageClicked, decision) });
            }
            else
            {
                await decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = customer, DecisionId = decision.DecisionId, OfferId = decision.OfferId, Outcome = Outcome.Shown });
                await decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = customer, DecisionId = decision.DecisionId, OfferId = decision.OfferId, Outcome = Outcome.Clicked });
            }

            clicked++;
        }

        foreach (var customer in rich.Where((_, i) => i % 4 == 0))
        {
            var purchase = new Event { EventId = Guid.NewGuid().ToString("N"), CustomerId = customer, Type = EventType.Purchase, Channel = Channel.Web, OccurredAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow) };
            purchase.Purchase = new PurchaseDetail { OrderId = Guid.NewGuid().ToString("N"), Total = new Money { Amount = 20, Currency = "USD" } };
            await events.TrackAsync(new TrackRequest { Event = purchase });
        }

        var results = await CliRunner.RunAsync("campaign", "get", "rich-ab", "--endpoint", endpoint);
        var report = await ReportAsync(endpoint, clicked);
        var csv = await CliRunner.RunAsync("report", "--by", "channel", "--id", "email", "--model", "linear", "--csv", "--endpoint", endpoint);
        var unknown = await CliRunner.RunAsync("report", "--by", "campaign", "--id", "no-such-campaign", "--endpoint", endpoint);
        var bySegment = await CliRunner.RunAsync("report", "--by", "segment", "--id", "high-income", "--endpoint", endpoint);
        var byDay = await CliRunner.RunAsync("report", "--by", "day", "--from", Today, "--to", Today, "--endpoint", endpoint);
        var clickers = await CliRunner.RunAsync("report", "responders", "--campaign", "rich-ab", "--outcome", "clicked", "--endpoint", endpoint);

        Assert.True(treated.Count >= 10, $"only {treated.Count} treated members");
        Assert.Contains($"email        queued {treated.Count:N0}, delivered {treated.Count:N0}, opened 0, clicked {clicked:N0}", results.Output);
        Assert.Contains("conversion (intention to treat): ", results.Output);
        Assert.Contains("; CUPED ", results.Output);
        Assert.Contains("    plain ", results.Output);
        Assert.Contains("    urgent vs plain, conversion rate: ", results.Output);
        Assert.Contains("    winner: none: ", results.Output);
        Assert.Equal(0, report.ExitCode);
        Assert.Contains("rich-ab ", report.Output);
        Assert.Contains($"delivered {treated.Count:N0}", report.Output);
        Assert.Contains($"clicks {clicked:N0} (CTR 100.0% [", report.Output);
        Assert.Contains("global control: ", report.Output);
        Assert.Equal(0, csv.ExitCode);
        var csvLines = csv.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("dimension,id,sends,deliveries,opens,clicks,", csvLines[0]);
        Assert.StartsWith($"channel,email,0,{treated.Count},0,{clicked},", csvLines[1]);
        Assert.Contains("high-income ", bySegment.Output);
        Assert.Contains($"delivered {treated.Count:N0}", bySegment.Output);
        Assert.Contains($"purchases {rich.Count(r => rich.IndexOf(r) % 4 == 0):N0} revenue", bySegment.Output);
        Assert.StartsWith($"{Today}  service", byDay.Output.Split('\n')[1], StringComparison.Ordinal);
        var clickerLines = clickers.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(treated.Select(t => t.Customer).Order(StringComparer.Ordinal), clickerLines[..^1]);
        Assert.Equal($"{clicked:N0} clicked", clickerLines[^1]);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("personalize: NotFound: id: no campaign 'no-such-campaign'.", unknown.Error);
    }

    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private static Event Message(string customer, EventType type, DecisionRecord decision) => new()
    {
        EventId = Guid.NewGuid().ToString("N"),
        CustomerId = customer,
        Type = type,
        Channel = Channel.Email,
        OccurredAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow),
        Message = new MessageDetail { MessageId = $"rich-ab:{customer}:{decision.OfferId}", DecisionId = decision.DecisionId, OfferId = decision.OfferId },
    };

    // The campaign's report once the silo's counters have flushed every click (every few seconds).
    private static async Task<(int ExitCode, string Output, string Error)> ReportAsync(string endpoint, int clicks)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            var report = await CliRunner.RunAsync("report", "--by", "campaign", "--id", "rich-ab", "--endpoint", endpoint);
            if (report.Output.Contains($"clicks {clicks:N0} ", StringComparison.Ordinal) || DateTime.UtcNow > deadline)
            {
                return report;
            }

            await Task.Delay(500);
        }
    }
}
