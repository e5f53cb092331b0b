using Grpc.Core;
using Xunit.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Decisioning.Decisions;
using Personalization.Scoring.Bundles;
using Personalization.Scoring.Scoring;
using Personalization.Scoring.Training;
using Personalization.Scoring.Validation;
using Personalization.Testing;
using Personalization.V1;
using static Personalization.Server.Tests.EventServiceTests;
using DecisionMode = Personalization.V1.DecisionMode;
using ModelKind = Personalization.V1.ModelKind;
using Outcome = Personalization.V1.Outcome;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace Personalization.Server.Tests;

/// <summary>
/// Activation validated on the service's own data over real gRPC with Azurite: the candidate and the
/// active model are measured on the offer rows the decision log and the outcomes give, too little
/// data leaves the candidate staged, and a candidate worse there than the active model is rejected.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ServiceDataValidationTests(ServerEnvironment environment, ITestOutputHelper output)
{
    private const int Customers = 80;

    private static ActivateModelRequest OnServiceData(string version, DateTime? since = null, Action<ActivateModelRequest>? change = null)
    {
        var request = new ActivateModelRequest
        {
            Kind = ModelKind.Offer,
            Version = version,
            ValidationSource = ValidationSource.ServiceData,
            Since = since is { } from ? Timestamp.FromDateTime(from) : null,
        };
        change?.Invoke(request);
        return request;
    }

    private static ModelBundle ShippedOffer(string version)
    {
        var shipped = ModelBundle.Read(Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "models", "offer"), "*.zip").Single());
        return shipped with { Manifest = shipped.Manifest with { Version = version } };
    }

    private async Task<TestServer> StartAsync()
    {
        var settings = TestServer.Settings(environment.Azurite, $"validate-{Guid.NewGuid():N}");
        settings["Models:SyncInterval"] = "00:00:00.200";
        return await TestServer.StartAsync(settings);
    }

    // Two offers that differ only in their reward; customers shown the rich one mostly click (8 in 10),
    // customers shown the poor one mostly do not (2 in 10), so offer_reward predicts acceptance.
    private static async Task<DateTime> TrafficAsync(TestServer server)
    {
        var since = DateTime.UtcNow.AddSeconds(-1);
        var offerService = new OfferService.OfferServiceClient(server.Channel);
        string[] offers = [await OfferAsync(offerService, reward: 10), await OfferAsync(offerService, reward: 2)];
        var decisions = new DecisionService.DecisionServiceClient(server.Channel);
        var customers = Enumerable.Range(0, Customers * 3).Select(_ => NewCustomer()).Where(id => !DecisionEngine.InHoldout(id, new DecisionPolicy())).Take(Customers);
        foreach (var (customer, i) in customers.Select((c, i) => (c, i)))
        {
            var offer = offers[i % 2];
            var context = new DecisionContext { Mode = DecisionMode.Inbound, Channels = { Channel.Web }, OfferIds = { offer } };
            var decision = await decisions.DecideAsync(new DecideRequest { CustomerId = customer, Context = context });
            if ((i % 2 == 0) == (i % 10 is not (0 or 1)))
            {
                await decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = customer, DecisionId = decision.DecisionId, OfferId = offer, Outcome = Outcome.Clicked });
            }
        }

        return since;
    }

    private static async Task<string> OfferAsync(OfferService.OfferServiceClient offers, int reward)
    {
        var offer = new Offer { OfferId = $"o-{Guid.NewGuid():N}", Name = "offer", Type = OfferType.Discount, Value = 10, Reward = reward, Difficulty = 20, DurationDays = 7 };
        offer.Channels.Add(Channel.Web);
        await offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer });
        return offer.OfferId;
    }

    // The data scientist's path: export the offer rows the service logged and train on them.
    private static async Task<ExportedRows> ExportAsync(ModelService.ModelServiceClient models, DateTime since)
    {
        using var call = models.ExportTrainingData(new ExportTrainingDataRequest { Kind = ModelKind.Offer, Since = Timestamp.FromDateTime(since), Features = { "offer_reward" } });
        var csv = new System.Text.StringBuilder();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            csv.Append(call.ResponseStream.Current.Csv.ToStringUtf8());
        }

        return ExportedRows.Read(new StringReader(csv.ToString()), "accepted");
    }

    private static ModelBundle Trained(ExportedRows rows, string version)
    {
        var trained = ModelTrainer.Train(Scoring.Bundles.ModelKind.Offer, rows, ModelTrainer.Learner.LogisticRegression, 7, "the service's own offer rows", holdOutShare: 0.5).Bundle;
        return trained with { Manifest = trained.Manifest with { Version = version } };
    }

    [Fact]
    public async Task TooLittleServiceDataLeavesTheCandidateStagedAndItActivatesOnceTheTrafficIsThere()
    {
        await using var server = await StartAsync();
        var models = new ModelService.ModelServiceClient(server.Channel);
        var seed = (await models.ListModelsAsync(new ListModelsRequest { Kind = ModelKind.Offer })).Versions.Single(v => v.Status == ModelStatus.Active);
        await ModelLifecycleTests.PushAsync(models, ShippedOffer("offer-early").ToBytes(), ModelKind.Offer);

        var tooEarly = await Assert.ThrowsAsync<RpcException>(async () => await models.ActivateModelAsync(OnServiceData("offer-early")));
        var staged = await models.GetModelAsync(new GetModelRequest { Kind = ModelKind.Offer, Version = "offer-early" });
        var since = await TrafficAsync(server);
        var activated = await models.ActivateModelAsync(OnServiceData("offer-early", since));
        output.WriteLine($"offer-early (the shipped offer model) on {activated.MeasuredOn}: {string.Join(", ", activated.MeasuredMetrics.Select(m => $"{m.Key} {m.Value}"))}");

        Assert.Equal(StatusCode.FailedPrecondition, tooEarly.StatusCode);
        Assert.StartsWith("validation_source: the service's offer rows (decisions since ", tooEarly.Status.Detail);
        Assert.Contains("0 labelled rows; at least 20 are needed to measure the model", tooEarly.Status.Detail);
        Assert.Contains("'offer-early' stays staged and the active model is unchanged", tooEarly.Status.Detail);
        Assert.Equal((ModelStatus.Staged, ""), (staged.Status, staged.RejectionReason));
        Assert.Equal(ModelStatus.Active, activated.Status);
        Assert.Equal((80d, 40d), (activated.MeasuredMetrics["rows"], activated.MeasuredMetrics["positives"]));
        Assert.Matches(@"^the service's offer rows \(decisions since \S+, outcomes within 168 h\): 80 rows, 40 positives$", activated.MeasuredOn);
        Assert.Equal(ModelStatus.Retired, (await models.GetModelAsync(new GetModelRequest { Kind = ModelKind.Offer, Version = seed.Version })).Status);
    }

    [Fact]
    public async Task AGoodModelIsMeasuredOnTheServiceRowsAndAnInvertedOneThatPassesItsOwnHoldoutIsRejected()
    {
        await using var server = await StartAsync();
        var models = new ModelService.ModelServiceClient(server.Channel);
        var since = await TrafficAsync(server);
        var rows = await ExportAsync(models, since);
        var inverted = rows with { Rows = [.. rows.Rows.Select(r => r[..^1].Append(r[^1] == "1" ? "0" : "1").ToArray())] };
        var (good, bad) = (Trained(rows, "offer-good"), Trained(inverted, "offer-inverted"));
        var ownHoldout = Measurement.Of(server.Services.GetRequiredService<ScoringService>().Load(bad), bad.Validation()!);
        await ModelLifecycleTests.PushAsync(models, good.ToBytes(), ModelKind.Offer);
        await ModelLifecycleTests.PushAsync(models, bad.ToBytes(), ModelKind.Offer);

        var activated = await models.ActivateModelAsync(OnServiceData("offer-good", since));
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await models.ActivateModelAsync(OnServiceData("offer-inverted", since)));
        var rejected = await models.GetModelAsync(new GetModelRequest { Kind = ModelKind.Offer, Version = "offer-inverted" });
        var active = (await models.ListModelsAsync(new ListModelsRequest { Kind = ModelKind.Offer })).Versions.Single(v => v.Status == ModelStatus.Active);
        output.WriteLine($"offer-good on {activated.MeasuredOn}: {string.Join(", ", activated.MeasuredMetrics.Select(m => $"{m.Key} {m.Value}"))}");
        output.WriteLine($"offer-inverted on its own holdout.csv: AUC {ownHoldout["auc"]}; on the service's rows: {refused.Status.Detail}");

        Assert.True(ownHoldout["auc"] > 0.5, $"the inverted model on its own holdout.csv: AUC {ownHoldout["auc"]}");
        Assert.Equal(ModelStatus.Active, activated.Status);
        Assert.True(activated.MeasuredMetrics["auc"] > 0.7, $"AUC {activated.MeasuredMetrics["auc"]}");
        Assert.Equal((80d, 40d), (activated.MeasuredMetrics["rows"], activated.MeasuredMetrics["positives"]));
        Assert.EndsWith(": 80 rows, 40 positives", activated.MeasuredOn);
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Matches(@"version: offer 'offer-inverted' failed validation and was rejected: measured AUC 0\.[0-3]\d{3} is more than 0\.02 below the active offer-good's 0\.[7-9]\d{3} \(both measured on the service's offer rows \(decisions since \S+, outcomes within 168 h\): 80 rows, 40 positives\)", refused.Status.Detail);
        Assert.Equal(ModelStatus.Rejected, rejected.Status);
        Assert.Equal("offer-good", active.Version);
        Assert.Equal("offer-good", server.Services.GetRequiredService<ScoringService>().Active(Scoring.Bundles.ModelKind.Offer)!.Version);
    }

    [Fact]
    public async Task BadValidationFieldsAreRefusedNamingTheFieldAndNothingChanges()
    {
        var models = new ModelService.ModelServiceClient(environment.Shared.Channel);
        var version = $"offer-fields-{Guid.NewGuid():N}";
        await ModelLifecycleTests.PushAsync(models, ShippedOffer(version).ToBytes(), ModelKind.Offer);
        var before = (await models.ListModelsAsync(new ListModelsRequest { Kind = ModelKind.Offer })).Versions.Single(v => v.Status == ModelStatus.Active);
        (ActivateModelRequest Request, string Refusal)[] cases =
        [
            (OnServiceData(version, change: r => r.OutcomeWindowHours = 721), "outcome_window_hours: between 1 and 720 hours"),
            (OnServiceData(version, change: r => r.OutcomeWindowHours = -1), "outcome_window_hours: between 1 and 720 hours"),
            (OnServiceData(version, change: r => r.AsOf = Timestamp.FromDateTime(DateTime.UtcNow.AddDays(-100))), "as_of: snapshot rows only"),
            (OnServiceData(version, change: r => r.LabelWindowDays = 400), "label_window_days: between 1 and 366 days"),
            (new() { Kind = ModelKind.Offer, Version = version, Since = Timestamp.FromDateTime(DateTime.UtcNow) }, "since: the service's rows only"),
            (new() { Kind = ModelKind.Offer, Version = version, ValidationSource = (ValidationSource)7 }, "validation_source: VALIDATION_SOURCE_BUNDLE or VALIDATION_SOURCE_SERVICE_DATA"),
        ];

        var errors = new List<RpcException>();
        foreach (var (request, _) in cases)
        {
            errors.Add(await Assert.ThrowsAsync<RpcException>(async () => await models.ActivateModelAsync(request)));
        }

        var after = await models.GetModelAsync(new GetModelRequest { Kind = ModelKind.Offer, Version = version });
        var active = (await models.ListModelsAsync(new ListModelsRequest { Kind = ModelKind.Offer })).Versions.Single(v => v.Status == ModelStatus.Active);

        Assert.All(errors, e => Assert.Equal(StatusCode.InvalidArgument, e.StatusCode));
        Assert.All(cases.Zip(errors), p => Assert.StartsWith(p.First.Refusal, p.Second.Status.Detail));
        Assert.Equal((ModelStatus.Staged, ""), (after.Status, after.RejectionReason));
        Assert.Equal(before.Version, active.Version);
    }
}
