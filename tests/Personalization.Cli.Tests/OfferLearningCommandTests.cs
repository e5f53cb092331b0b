using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Cli.Tests;

/// <summary>
/// The offer data scientist's path as the README writes it: decisions logged by a real server on
/// Azurite, exported point-in-time, trained on, pushed, estimated offline and checked for drift.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class OfferLearningCommandTests(ServerEnvironment environment)
{
    [Fact]
    public async Task LoggedDecisionsAreExportedTrainedOnPushedEstimatedAndCheckedForDrift()
    {
        await using var server = await TestServer.StartAsync(TestServer.Settings(environment.Azurite));
        var endpoint = server.Address.ToString();
        var offers = new OfferService.OfferServiceClient(server.Channel);
        var (events, decisions) = (new EventService.EventServiceClient(server.Channel), new DecisionService.DecisionServiceClient(server.Channel));
        var ids = new List<string>();
        foreach (var (type, reward) in new[] { (OfferType.Discount, 5), (OfferType.Bogo, 10), (OfferType.Informational, 0) })
        {
            var offer = new Offer { OfferId = $"o-{Guid.NewGuid():N}", Name = "offer", Type = type, Value = 10, Reward = reward, Difficulty = 10, DurationDays = 7, Channels = { Channel.Web } };
            await offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer });
            ids.Add(offer.OfferId);
        }

        // 300 customers with the traits the offer model reads; younger ones click.
        var random = new Random(19);
        for (var i = 0; i < 300; i++)
        {
            var customer = $"learn-{Guid.NewGuid():N}";
            var age = random.Next(18, 80);
            var traits = new Event { CustomerId = customer, Type = EventType.TraitsSet, OccurredAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(DateTime.UtcNow.AddMinutes(-1)), EventId = Guid.NewGuid().ToString("N"), Traits = new TraitsDetail() };
            traits.Traits.Traits["age"] = new Value { IntValue = age };
            traits.Traits.Traits["income"] = new Value { IntValue = random.Next(30, 120) * 1000 };
            traits.Traits.Traits["gender"] = new Value { StringValue = random.Next(2) == 0 ? "F" : "M" };
            await events.TrackAsync(new TrackRequest { Event = traits });
            var decision = await decisions.DecideAsync(new DecideRequest { CustomerId = customer, Context = new DecisionContext { Mode = DecisionMode.Inbound, Channels = { Channel.Web }, OfferIds = { ids } } });
            if (decision.Actions.Count > 0 && random.NextDouble() < (age < 45 ? 0.6 : 0.15))
            {
                await decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = customer, DecisionId = decision.DecisionId, OfferId = decision.Actions[0].OfferId, Outcome = Outcome.Clicked });
            }
        }

        var folder = Directory.CreateTempSubdirectory("offer-learning-");
        try
        {
            var rows = Path.Combine(folder.FullName, "offer-rows.csv");
            var exported = await CliRunner.RunAsync("data", "export", "--kind", "offer", "--out", rows, "--endpoint", endpoint,
                "--features", "age,income,became_member_on,gender:string,offer_reward,offer_difficulty,offer_duration_days,offer_type:string");
            var trained = await CliRunner.RunAsync("model", "train", "--kind", "offer", "--rows", rows, "--learner", "logistic", "--out", folder.FullName);
            var bundle = Directory.GetFiles(Path.Combine(folder.FullName, "offer"), "*.zip").Single();
            var version = Path.GetFileNameWithoutExtension(bundle);
            var pushed = await CliRunner.RunAsync("model", "push", bundle, "--kind", "offer", "--endpoint", endpoint);
            var estimate = await CliRunner.RunAsync("model", "estimate", version, "--endpoint", endpoint);
            var drift = await CliRunner.RunAsync("model", "drift", "--kind", "offer", version, "--endpoint", endpoint);

            using (var reader = new StreamReader(rows))
            {
                var records = Decisioning.Customers.CsvRecords.Read(reader).Select(r => r.Fields).ToList();
                Assert.Equal(0, exported.ExitCode);
                Assert.True(records.Count - 1 >= 250, $"{records.Count - 1} rows");
                Assert.Contains("age", records[0]);
                Assert.Equal("accepted", records[0][^1]);
            }

            Assert.True(trained.ExitCode == 0, trained.Error);
            Assert.True(pushed.ExitCode == 0, pushed.Error);
            Assert.True(estimate.ExitCode == 0, estimate.Error);
            Assert.Contains("doubly robust", estimate.Output);
            Assert.Matches(@"\d+ logged slates, \d+ where it agrees", estimate.Output);
            Assert.True(drift.ExitCode == 0, drift.Error);
            Assert.Contains("income", drift.Output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
