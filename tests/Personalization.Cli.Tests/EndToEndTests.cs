using Personalization.Decisioning.Decisions;
using Personalization.Testing;
using Personalization.V1;
using DecisionMode = Personalization.V1.DecisionMode;
using Outcome = Personalization.V1.Outcome;

namespace Personalization.Cli.Tests;

/// <summary>
/// The whole path a website team takes: import the real offers and profiles with the CLI, send
/// events, decide over gRPC, record outcomes, and read them back in the profile.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class EndToEndTests(ServerEnvironment environment)
{
    [Fact]
    public async Task RealProfilesGetDecisionsWhoseOutcomesShowInTheirProfile()
    {
        var endpoint = environment.Shared.Address.ToString();
        var profiles = Path.Combine(Path.GetTempPath(), $"profiles-{Guid.NewGuid():N}.json");
        var lines = File.ReadLines(Path.Combine(RepositoryPaths.Root, "models", "data", "offer-portfolio", "profile.json")).Take(200).ToList();
        await File.WriteAllLinesAsync(profiles, lines);
        var offersImport = await CliRunner.RunAsync("import", "offers", Path.Combine(RepositoryPaths.Root, "models", "data", "offer-portfolio", "portfolio.json"), "--endpoint", endpoint);
        var profilesImport = await CliRunner.RunAsync("import", "customers", profiles, "--missing", "age=118", "--date", "became_member_on=yyyyMMdd", "--endpoint", endpoint);
        File.Delete(profiles);
        var customer = lines.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!)
            .First(id => !DecisionEngine.InHoldout(id, new DecisionPolicy()));
        var events = new EventService.EventServiceClient(environment.Shared.Channel);
        var decisions = new DecisionService.DecisionServiceClient(environment.Shared.Channel);
        var profilesClient = new ProfileService.ProfileServiceClient(environment.Shared.Channel);

        await events.TrackAsync(new TrackRequest { Event = new Event { EventId = Guid.NewGuid().ToString("N"), CustomerId = customer, Type = EventType.ConsentGranted, Channel = Channel.Email, Consent = new ConsentDetail() } });
        var decision = await decisions.DecideAsync(new DecideRequest { CustomerId = customer, Context = new DecisionContext { Mode = DecisionMode.Outbound, MaxActions = 3 } });
        var top = decision.Actions[0];
        await decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = customer, DecisionId = decision.DecisionId, OfferId = top.OfferId, Outcome = Outcome.Opened });
        await decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = customer, DecisionId = decision.DecisionId, OfferId = top.OfferId, Outcome = Outcome.Converted, Value = new Money { Amount = 12, Currency = "EUR" } });
        var profile = await profilesClient.GetProfileAsync(new GetProfileRequest { CustomerId = customer });

        Assert.Equal(0, offersImport.ExitCode);
        // Another test may have imported these profiles already: either way all 200 are in and none rejected.
        Assert.Equal(0, profilesImport.ExitCode);
        Assert.Contains("200 rows read: ", profilesImport.Output);
        Assert.Equal("champion", decision.ExperimentArm);
        Assert.Equal(Channel.Email, top.Channel);
        Assert.StartsWith("offer-", top.Scores.OfferModelVersion);
        var recorded = profile.RecentDecisions.Single(d => d.DecisionId == decision.DecisionId && d.OfferId == top.OfferId);
        Assert.Equal("converted", recorded.Outcome);
        var email = profile.Engagement.Single(e => e.Channel == Channel.Email);
        Assert.Equal((1L, 1L), (email.Opened, email.Converted));
        Assert.True(profile.Traits.ContainsKey("became_member_on"));
    }
}
