using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Decisioning.Decisions;
using Personalization.Scoring.Bundles;
using Personalization.Scoring.Scoring;
using Personalization.Scoring.Training;
using Personalization.Testing;
using Personalization.V1;
using static Personalization.Server.Tests.EventServiceTests;
using DecisionMode = Personalization.V1.DecisionMode;
using ModelKind = Personalization.V1.ModelKind;
using Outcome = Personalization.V1.Outcome;

namespace Personalization.Server.Tests;

/// <summary>ModelService over real gRPC: push, validate, activate on every silo, roll back, split, results, bad uploads.</summary>
[Collection(ServerCollection.Name)]
public sealed class ModelLifecycleTests(ServerEnvironment environment)
{
    /// <summary>The shipped churn bundle under a new version label (same model, new bundle hash).</summary>
    internal static ModelBundle Churn(string version, double? auc = null)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "models", "churn");
        var shipped = ModelBundle.Read(Directory.GetFiles(folder, "*.zip").Single());
        var metrics = new Dictionary<string, double>(shipped.Manifest.Metrics);
        if (auc is { } value)
        {
            metrics["auc"] = value;
        }

        return shipped with { Manifest = shipped.Manifest with { Version = version, Metrics = metrics } };
    }

    internal static async Task<ModelVersion> PushAsync(ModelService.ModelServiceClient models, byte[] bytes, ModelKind kind = ModelKind.Churn, string? sha = null, long? size = null, int chunk = 64 * 1024)
    {
        using var call = models.PushModel();
        await call.RequestStream.WriteAsync(new PushModelChunk { Header = new PushModelHeader { Kind = kind, Sha256 = sha ?? ModelBundle.Sha256(bytes), SizeBytes = size ?? bytes.Length } });
        for (var at = 0; at < bytes.Length; at += chunk)
        {
            await call.RequestStream.WriteAsync(new PushModelChunk { Data = ByteString.CopyFrom(bytes, at, Math.Min(chunk, bytes.Length - at)) });
        }

        await call.RequestStream.CompleteAsync();
        return await call;
    }

    private Dictionary<string, string?> Settings(string container, string? cluster = null)
    {
        var settings = TestServer.Settings(environment.Azurite, container);
        settings["Models:SyncInterval"] = "00:00:00.200";
        if (cluster is not null)
        {
            settings["Cluster:ClusterId"] = cluster;
            settings["Cluster:ServiceId"] = cluster;
        }

        return settings;
    }

    private static async Task<string> ChurnVersionAsync(DecisionService.DecisionServiceClient decisions, string customer, string offer)
    {
        var context = new DecisionContext { Mode = DecisionMode.Inbound, Channels = { Channel.Web }, OfferIds = { offer } };
        var decision = await decisions.DecideAsync(new DecideRequest { CustomerId = customer, Context = context });
        return decision.Actions[0].Scores.ChurnModelVersion;
    }

    private static List<string> Treated(int count) =>
        [.. Enumerable.Range(0, count * 2).Select(_ => NewCustomer()).Where(id => !DecisionEngine.InHoldout(id, new DecisionPolicy())).Take(count)];

    [Fact]
    public async Task PushAndActivateReachBothSilosWithNoFailedDecisionsAndRollbackRestores()
    {
        var (container, cluster) = ($"models-{Guid.NewGuid():N}", $"models-{Guid.NewGuid():N}");
        await using var first = await TestServer.StartAsync(Settings(container, cluster));
        await using var second = await TestServer.StartAsync(Settings(container, cluster));
        var models = new ModelService.ModelServiceClient(first.Channel);
        var viaFirst = new DecisionService.DecisionServiceClient(first.Channel);
        var viaSecond = new DecisionService.DecisionServiceClient(second.Channel);
        var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(first.Channel), Channel.Web);
        var customers = Treated(30);
        var shipped = await ChurnVersionAsync(viaFirst, customers[0], offer);

        // Decisions keep flowing through both silos during the swap.
        using var stop = new CancellationTokenSource();
        var (calls, failures) = (0, 0);
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                foreach (var (client, customer) in customers.Select((c, i) => (i % 2 == 0 ? viaFirst : viaSecond, c)))
                {
                    try
                    {
                        await ChurnVersionAsync(client, customer, offer);
                        Interlocked.Increment(ref calls);
                    }
                    catch (RpcException)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }
        });

        var pushed = await PushAsync(models, Churn("churn-next").ToBytes(), chunk: 7_000);
        var activated = await models.ActivateModelAsync(new ActivateModelRequest { Kind = ModelKind.Churn, Version = "churn-next" });
        var everywhere = await WaitAsync(async () => (await Task.WhenAll(customers.Select((c, i) => ChurnVersionAsync(i % 2 == 0 ? viaFirst : viaSecond, c, offer)))).All(v => v == "churn-next"));
        await Task.Delay(300);
        await stop.CancelAsync();
        await load;

        var rolledBack = await models.RollbackModelAsync(new RollbackModelRequest { Kind = ModelKind.Churn });
        var restored = await WaitAsync(async () => (await Task.WhenAll(customers.Select((c, i) => ChurnVersionAsync(i % 2 == 0 ? viaFirst : viaSecond, c, offer)))).All(v => v == shipped));
        var list = await models.ListModelsAsync(new ListModelsRequest { Kind = ModelKind.Churn });

        Assert.Equal((ModelStatus.Staged, ModelStatus.Active), (pushed.Status, activated.Status));
        Assert.True(everywhere, "both silos score every customer with the new version");
        Assert.True(calls > 30, $"the load made {calls} calls");
        Assert.Equal(0, failures);
        Assert.Equal((shipped, ModelStatus.Active), (rolledBack.Version, rolledBack.Status));
        Assert.True(restored, "rollback reaches both silos");
        Assert.Equal(ModelStatus.Retired, list.Versions.Single(v => v.Version == "churn-next").Status);
    }

    /// <summary>A real, worse churn model (it reads gender only) that claims an AUC of 0.99; its hold-out rows carry every telco feature, so the active model is measured on them too.</summary>
    internal static ModelBundle WorseChurn(string version)
    {
        using var reader = new StreamReader(Path.Combine(RepositoryPaths.Root, "models", "data", "telco-churn", "WA_Fn-UseC_-Telco-Customer-Churn.csv"));
        var rows = ChurnData.Read(reader);
        var trained = ModelTrainer.Train(Scoring.Bundles.ModelKind.Churn, [new("gender", Decisioning.Features.FeatureType.String)], rows, ModelTrainer.Learner.LogisticRegression,
            ModelTraining.DefaultSeed, OfferSimulation.ReferenceDate, "telco, gender only", holdoutColumns: ChurnData.Features);
        var bundle = trained.Bundle;
        return bundle with { Manifest = bundle.Manifest with { Version = version, Metrics = new() { ["auc"] = 0.99 } } };
    }

    [Fact]
    public async Task AFailedValidationLeavesTheActiveModelAndANewSiloStartsOnTheActiveVersion()
    {
        var container = $"models-{Guid.NewGuid():N}";
        await using (var server = await TestServer.StartAsync(Settings(container)))
        {
            var models = new ModelService.ModelServiceClient(server.Channel);
            await PushAsync(models, Churn("churn-good").ToBytes());
            var good = await models.ActivateModelAsync(new ActivateModelRequest { Kind = ModelKind.Churn, Version = "churn-good" });
            await PushAsync(models, WorseChurn("churn-worse").ToBytes());

            var refused = await Assert.ThrowsAsync<RpcException>(async () => await models.ActivateModelAsync(new ActivateModelRequest { Kind = ModelKind.Churn, Version = "churn-worse" }));
            var allowed = await models.ActivateModelAsync(new ActivateModelRequest { Kind = ModelKind.Churn, Version = "churn-good" });
            var worse = await models.GetModelAsync(new GetModelRequest { Kind = ModelKind.Churn, Version = "churn-worse" });

            Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
            Assert.Matches(@"measured AUC 0\.\d{4} is more than 0\.02 below the active churn-good's 0\.84\d\d \(both measured on the candidate's holdout\.csv\)", refused.Status.Detail);
            Assert.InRange(good.MeasuredMetrics["auc"], 0.84, 0.85); // measured by the service, on the bundle's own hold-out rows
            Assert.Equal(0.99, worse.Metrics["auc"]); // the claim is shown, not believed
            Assert.Equal((ModelStatus.Rejected, ModelStatus.Active), (worse.Status, allowed.Status));
            Assert.Equal("churn-good", server.Services.GetRequiredService<ScoringService>().Active(Scoring.Bundles.ModelKind.Churn)!.Version);
        }

        await using var later = await TestServer.StartAsync(Settings(container));
        Assert.Equal("churn-good", later.Services.GetRequiredService<ScoringService>().Active(Scoring.Bundles.ModelKind.Churn)!.Version);
    }

    [Fact]
    public async Task ABundleWithoutAValidationSetIsRefusedNamingTheFile()
    {
        var models = new ModelService.ModelServiceClient(environment.Shared.Channel);
        var version = $"churn-unmeasured-{Guid.NewGuid():N}";
        var before = (await models.ListModelsAsync(new ListModelsRequest { Kind = ModelKind.Churn })).Versions.Single(v => v.Status == ModelStatus.Active);
        await PushAsync(models, (Churn(version) with { Holdout = null }).ToBytes());

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await models.ActivateModelAsync(new ActivateModelRequest { Kind = ModelKind.Churn, Version = version }));
        var after = (await models.ListModelsAsync(new ListModelsRequest { Kind = ModelKind.Churn })).Versions.Single(v => v.Status == ModelStatus.Active);

        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("holdout.csv: the bundle carries no labelled validation set", refused.Status.Detail);
        Assert.Equal(before.Version, after.Version);
    }

    [Fact]
    public async Task AChallengerScoresAStableShareOfCustomersAndResultsArePerArm()
    {
        var container = $"models-{Guid.NewGuid():N}";
        await using var server = await TestServer.StartAsync(Settings(container));
        var (models, decisions) = (new ModelService.ModelServiceClient(server.Channel), new DecisionService.DecisionServiceClient(server.Channel));
        var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(server.Channel), Channel.Web);
        await PushAsync(models, Churn("churn-champion").ToBytes());
        await models.ActivateModelAsync(new ActivateModelRequest { Kind = ModelKind.Churn, Version = "churn-champion" });
        await PushAsync(models, Churn("churn-challenger").ToBytes());

        var split = await models.SetTrafficSplitAsync(new SetTrafficSplitRequest { Split = new TrafficSplit { Kind = ModelKind.Churn, ChampionVersion = "churn-champion", ChallengerVersion = "churn-challenger", ChallengerShare = 0.3 } });
        var customers = Treated(300);
        var first = new List<string>();
        var arms = new List<string>();
        foreach (var customer in customers)
        {
            var context = new DecisionContext { Mode = DecisionMode.Inbound, Channels = { Channel.Web }, OfferIds = { offer } };
            var decision = await decisions.DecideAsync(new DecideRequest { CustomerId = customer, Context = context });
            first.Add(decision.Actions[0].Scores.ChurnModelVersion);
            arms.Add(decision.ExperimentArm);
        }

        var second = new List<string>();
        foreach (var customer in customers)
        {
            second.Add(await ChurnVersionAsync(decisions, customer, offer));
        }

        var challenged = first.Count(v => v == "churn-challenger");
        Assert.Equal(("churn-champion", 0.3), (split.ChampionVersion, split.ChallengerShare));
        Assert.Equal(first, second); // stable per customer
        Assert.InRange(challenged, 60, 120); // 30% of 300, within tolerance
        Assert.All(customers.Zip(first), p => Assert.Equal(ScoringService.InChallengerArm(Scoring.Bundles.ModelKind.Churn, p.First, 0.3), p.Second == "churn-challenger"));
        Assert.Equal(first.Select(v => v == "churn-challenger" ? "challenger" : "champion"), arms); // the arm says which model decided

        ModelResults results = null!;
        var counted = await WaitAsync(async () =>
        {
            results = await models.GetModelResultsAsync(new GetModelResultsRequest { Kind = ModelKind.Churn });
            return results.Arms.Sum(a => a.Decisions) >= 600;
        });
        Assert.True(counted, "decisions reach the per-arm results");
        Assert.Equal(2 * challenged, results.Arms.Single(a => a.Arm == "challenger").Decisions);
        Assert.Equal(2 * (300 - challenged), results.Arms.Single(a => a.Arm == "champion").Decisions);

        var badSplits = new[]
        {
            new TrafficSplit { Kind = ModelKind.Churn, ChampionVersion = "churn-challenger", ChallengerVersion = "churn-champion", ChallengerShare = 0.1 },
            new TrafficSplit { Kind = ModelKind.Churn, ChampionVersion = "churn-champion", ChallengerVersion = "churn-challenger", ChallengerShare = 0.7 },
            new TrafficSplit { Kind = ModelKind.Churn, ChampionVersion = "churn-champion", ChallengerVersion = "", ChallengerShare = 0.2 },
            new TrafficSplit { Kind = ModelKind.Churn, ChampionVersion = "churn-champion", ChallengerVersion = "no-such-version", ChallengerShare = 0.2 },
        };
        foreach (var bad in badSplits)
        {
            var error = await Assert.ThrowsAsync<RpcException>(async () => await models.SetTrafficSplitAsync(new SetTrafficSplitRequest { Split = bad }));
            Assert.Contains(error.StatusCode, new[] { StatusCode.InvalidArgument, StatusCode.FailedPrecondition, StatusCode.NotFound });
        }

        Assert.Equal("churn-challenger", (await models.ListModelsAsync(new ListModelsRequest { Kind = ModelKind.Churn })).Versions.Single(v => v.Status == ModelStatus.Challenger).Version);
    }

    [Fact]
    public async Task BadUploadsAndUnknownVersionsAreRefusedAndNothingChanges()
    {
        var models = new ModelService.ModelServiceClient(environment.Shared.Channel);
        var bytes = Churn($"churn-bad-{Guid.NewGuid():N}").ToBytes();

        async Task<RpcException> Fails(Func<Task> call) => await Assert.ThrowsAsync<RpcException>(call);

        var truncated = await Fails(() => PushAsync(models, bytes[..^100], size: bytes.Length, sha: ModelBundle.Sha256(bytes)));
        var wrongHash = await Fails(() => PushAsync(models, bytes, sha: new string('a', 64)));
        var wrongKind = await Fails(() => PushAsync(models, bytes, kind: ModelKind.Offer));
        var notABundle = await Fails(() => PushAsync(models, [1, 2, 3, 4]));
        var unknown = await Fails(async () => await models.ActivateModelAsync(new ActivateModelRequest { Kind = ModelKind.Churn, Version = "never-pushed" }));
        var noKind = await Fails(async () => await models.ListModelsAsync(new ListModelsRequest { Kind = (ModelKind)7 }));
        var badKindName = await Fails(async () => await models.GetModelAsync(new GetModelRequest { KindName = "Lifetime_Value", Version = "v1" }));
        var clv = await models.ListModelsAsync(new ListModelsRequest { KindName = "clv" });
        var list = await models.ListModelsAsync(new ListModelsRequest { Kind = ModelKind.Churn });

        Assert.Equal(StatusCode.InvalidArgument, truncated.StatusCode);
        Assert.Contains("truncated", truncated.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, wrongHash.StatusCode);
        Assert.Contains("header.sha256: the bytes received hash to", wrongHash.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, wrongKind.StatusCode);
        Assert.Contains("the bundle is a churn model, not offer", wrongKind.Status.Detail);
        Assert.Equal(StatusCode.InvalidArgument, notABundle.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, noKind.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, badKindName.StatusCode);
        Assert.Contains("kind_name: kind 'Lifetime_Value': a kind is 1 to 40 lower-case letters and hyphens", badKindName.Status.Detail);
        Assert.Equal(("clv", "value", "onnx", ModelStatus.Active), clv.Versions.Select(v => (v.KindName, v.Output, v.Format, v.Status)).Single());
        Assert.DoesNotContain(list.Versions, v => v.Version.StartsWith("churn-bad-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OfferTrainingRowsJoinEachDecisionToItsOutcome()
    {
        var shared = environment.Shared;
        var (decisions, models) = (new DecisionService.DecisionServiceClient(shared.Channel), new ModelService.ModelServiceClient(shared.Channel));
        var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(shared.Channel), Channel.Web);
        var since = DateTime.UtcNow.AddSeconds(-1);
        var customers = Treated(4);
        await new EventService.EventServiceClient(shared.Channel).TrackBatchAsync(Batch([.. customers.Select(c => Ev.Session(c, DateTime.UtcNow))]));
        foreach (var (customer, i) in customers.Select((c, i) => (c, i)))
        {
            var context = new DecisionContext { Mode = DecisionMode.Inbound, Channels = { Channel.Web }, OfferIds = { offer } };
            var decision = await decisions.DecideAsync(new DecideRequest { CustomerId = customer, Context = context });
            if (i % 2 == 0)
            {
                await decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = customer, DecisionId = decision.DecisionId, OfferId = offer, Outcome = Outcome.Clicked });
            }
        }

        using var call = models.ExportTrainingData(new ExportTrainingDataRequest { Kind = ModelKind.Offer, Since = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTime(since) });
        var csv = new System.Text.StringBuilder();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            csv.Append(call.ResponseStream.Current.Csv.ToStringUtf8());
        }

        var records = Decisioning.Customers.CsvRecords.Read(new StringReader(csv.ToString())).Select(r => r.Fields).ToList();
        var header = records[0];
        var ours = records.Skip(1).Where(r => customers.Contains(r[0])).ToDictionary(r => r[0]);

        Assert.Equal(["customer_id", "decision_id", "offer_id", "decided_at", "channel", "arm", "offer_model_version"], header[..7]);
        Assert.Equal(("outcome", "accepted"), (header[^2], header[^1]));
        Assert.Contains("offer_reward", header);
        Assert.Equal(4, ours.Count);
        Assert.All(customers.Select((c, i) => (ours[c], i)), p => Assert.Equal((offer, p.i % 2 == 0 ? "1" : "0", p.i % 2 == 0 ? "clicked" : ""), (p.Item1[2], p.Item1[^1], p.Item1[^2])));
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 100; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }
}
