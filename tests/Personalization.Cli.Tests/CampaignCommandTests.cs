using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Cli.Tests;

/// <summary>
/// The campaign manager's path through the CLI on real data: import the real portfolio and
/// profiles, preview and create a segment, then create, start and watch a campaign to its end.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class CampaignCommandTests(ServerEnvironment environment)
{
    [Fact]
    public async Task ASegmentAndACampaignRunFromTheCommandLine()
    {
        await using var server = await TestServer.StartAsync(TestServer.Settings(environment.Azurite));
        var endpoint = server.Address.ToString();
        var (lines, offer) = await PortfolioData.ImportAsync(endpoint, 300);
        var rich = lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Count(p => p.GetProperty("income").ValueKind == System.Text.Json.JsonValueKind.Number && p.GetProperty("income").GetDouble() > 80000);
        // Half of the rich customers consent to email, so the campaign both delivers and suppresses.
        var consenting = lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement)
            .Where(p => p.GetProperty("income").ValueKind == System.Text.Json.JsonValueKind.Number && p.GetProperty("income").GetDouble() > 80000)
            .Select(p => p.GetProperty("id").GetString()!).Where((_, i) => i % 2 == 0).ToList();
        var batch = new TrackBatchRequest();
        batch.Events.AddRange(consenting.Select(id => new Event { EventId = $"consent-{id}", CustomerId = id, Type = EventType.ConsentGranted, Channel = Channel.Email, Consent = new ConsentDetail() }));
        await new EventService.EventServiceClient(server.Channel).TrackBatchAsync(batch);

        var preview = await CliRunner.RunAsync("segment", "preview", "--rule", "income > 80000", "--sample", "3", "--endpoint", endpoint);
        var created = await CliRunner.RunAsync("segment", "create", "high-income", "--rule", "income > 80000", "--description", "income over 80k", "--endpoint", endpoint);
        var list = await CliRunner.RunAsync("segment", "list", "--endpoint", endpoint);
        var campaign = await CliRunner.RunAsync("campaign", "create", "--id", "rich-bogo", "--name", "BOGO for high earners", "--segment", "high-income",
            "--offer", offer, "--channel", "email", "--window", "9-21", "--holdout", "0.1", "--endpoint", endpoint);
        var started = await CliRunner.RunAsync("campaign", "start", "rich-bogo", "--endpoint", endpoint);
        var watched = await CliRunner.RunAsync("campaign", "watch", "rich-bogo", "--endpoint", endpoint);
        var again = await CliRunner.RunAsync("campaign", "start", "rich-bogo", "--endpoint", endpoint);
        var badRule = await CliRunner.RunAsync("segment", "create", "bad", "--rule", "purchases > 'lots'", "--endpoint", endpoint);
        var listed = await CliRunner.RunAsync("campaign", "list", "--state", "completed", "--endpoint", endpoint);
        var test = await CliRunner.RunAsync("campaign", "create", "--id", "rich-subject", "--name", "Subject test", "--segment", "high-income",
            "--offer", offer, "--channel", "email", "--holdout", "0.1", "--auto-winner", "2000",
            "--variant", "plain;weight=0.5;content=Your offer is here", "--variant", "urgent;weight=0.5;content=Last day: your offer", "--endpoint", endpoint);
        await CliRunner.RunAsync("campaign", "start", "rich-subject", "--endpoint", endpoint);
        await CliRunner.RunAsync("campaign", "watch", "rich-subject", "--endpoint", endpoint);
        var results = await CliRunner.RunAsync("campaign", "get", "rich-subject", "--endpoint", endpoint);
        var badTest = await CliRunner.RunAsync("campaign", "create", "--id", "bad-subject", "--name", "Bad", "--segment", "high-income", "--offer", offer,
            "--variant", "a;weight=0.5", "--variant", "b;weight=0.6", "--endpoint", endpoint);
        // A test share with a deadline and nobody buying: the held members get the first variant when the deadline passes.
        var held = await CliRunner.RunAsync("campaign", "create", "--id", "rich-held", "--name", "Held test", "--segment", "high-income",
            "--offer", offer, "--channel", "email", "--holdout", "0.1", "--auto-winner", "2000", "--test-share", "0.2", "--decide-by", "00:00:02",
            "--variant", "plain;weight=0.5;content=Your offer is here", "--variant", "urgent;weight=0.5;content=Last day: your offer", "--endpoint", endpoint);
        await CliRunner.RunAsync("campaign", "start", "rich-held", "--endpoint", endpoint);
        var heldWatched = await CliRunner.RunAsync("campaign", "watch", "rich-held", "--endpoint", endpoint);
        var badHold = await CliRunner.RunAsync("campaign", "create", "--id", "bad-held", "--name", "Bad", "--segment", "high-income", "--offer", offer,
            "--auto-winner", "100", "--test-share", "0.9", "--decide-by", "01:00:00", "--variant", "a;weight=0.5", "--variant", "b;weight=0.5", "--endpoint", endpoint);

        Assert.Equal(0, preview.ExitCode);
        Assert.StartsWith($"{rich} of 300 customers evaluated match", preview.Output);
        Assert.Equal(0, created.ExitCode);
        Assert.Contains($"high-income: {rich:N0} members, active", created.Output);
        Assert.Contains("high-income", list.Output);
        Assert.Contains("rich-bogo: draft (BOGO for high earners, segment high-income)", campaign.Output);
        Assert.Equal(0, started.ExitCode);
        Assert.Equal(0, watched.ExitCode);
        Assert.Contains("rich-bogo: completed", watched.Output);
        Assert.Contains($"decided {rich:N0}", watched.Output);
        Assert.Contains("suppressed: no_consent", watched.Output);
        Assert.Contains("email        queued", watched.Output);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("personalize: FailedPrecondition: only a draft campaign can start; this one is completed", again.Error);
        Assert.Equal(1, badRule.ExitCode);
        Assert.Contains("personalize: InvalidArgument: segment.rule: at 1:13: type mismatch", badRule.Error);
        Assert.Contains("rich-bogo", listed.Output);
        Assert.Equal(0, test.ExitCode);
        Assert.Contains("rich-subject: completed", results.Output);
        Assert.Contains("conversion (intention to treat): ", results.Output);
        Assert.Contains("95% always-valid", results.Output);
        Assert.Contains("delivered only (not randomised, reference): ", results.Output);
        Assert.Contains("experiment: sample ratio p = ", results.Output);
        Assert.Contains("    plain ", results.Output);
        Assert.Contains("    urgent vs plain, conversion rate: ", results.Output);
        Assert.Contains("    winner: none: waiting: every variant needs 2000 exposures.", results.Output);
        Assert.Equal(1, badTest.ExitCode);
        Assert.Contains("personalize: InvalidArgument: campaign.variants.weight: the weights must sum to 1, got 1.1.", badTest.Error);
        Assert.Equal(0, held.ExitCode);
        Assert.Contains("rich-held: completed", heldWatched.Output);
        Assert.Matches(@"hold at test share 20\.0%: released; test members [0-9,]+, held [0-9,]+, released [0-9,]+; sent plain \(no winner by the deadline: the first variant\)", heldWatched.Output);
        Assert.Contains($"decided {rich:N0}", heldWatched.Output);
        Assert.Equal(1, badHold.ExitCode);
        Assert.Contains("personalize: InvalidArgument: campaign.auto_winner.test_share: between 0.05 and 0.5", badHold.Error);
    }
}
