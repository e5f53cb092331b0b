using Grpc.Core;
using Xunit.Abstractions;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Contracts.Persistence;
using Personalization.Decisioning.Decisions;
using Personalization.Scoring.Bundles;
using Personalization.Testing;
using Personalization.V1;
using static Personalization.Server.Tests.EventServiceTests;
using DecisionMode = Personalization.V1.DecisionMode;
using ModelKind = Personalization.V1.ModelKind;
using Outcome = Personalization.V1.Outcome;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace Personalization.Server.Tests;

/// <summary>
/// The decision log over real gRPC with Azurite: offer training rows carry the features a decision
/// saw (not today's), erasure removes a customer's logged decisions, and a staged offer model gets an
/// offline estimate and the active one its drift.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DecisionLogTests(ServerEnvironment environment, ITestOutputHelper output)
{
    private static List<string> Treated(int count) =>
        [.. Enumerable.Range(0, count * 3).Select(_ => NewCustomer()).Where(id => !DecisionEngine.InHoldout(id, new DecisionPolicy())).Take(count)];

    private static async Task<string> DecideAsync(DecisionService.DecisionServiceClient decisions, string customer, string offer)
    {
        var context = new DecisionContext { Mode = DecisionMode.Inbound, Channels = { Channel.Web }, OfferIds = { offer } };
        return (await decisions.DecideAsync(new DecideRequest { CustomerId = customer, Context = context })).DecisionId;
    }

    private static async Task<List<string[]>> ExportAsync(ModelService.ModelServiceClient models, DateTime since, params string[] features)
    {
        var request = new ExportTrainingDataRequest { Kind = ModelKind.Offer, Since = Timestamp.FromDateTime(since) };
        request.Features.AddRange(features);
        using var call = models.ExportTrainingData(request);
        var csv = new System.Text.StringBuilder();
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            csv.Append(call.ResponseStream.Current.Csv.ToStringUtf8());
        }

        return [.. Decisioning.Customers.CsvRecords.Read(new StringReader(csv.ToString())).Select(r => r.Fields)];
    }

    [Fact]
    public async Task OfferRowsCarryTheFeaturesAsTheDecisionSawThemAfterTheCustomerChanged()
    {
        var shared = environment.Shared;
        var (events, decisions, models) = (new EventService.EventServiceClient(shared.Channel), new DecisionService.DecisionServiceClient(shared.Channel), new ModelService.ModelServiceClient(shared.Channel));
        var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(shared.Channel), Channel.Web);
        var since = DateTime.UtcNow.AddSeconds(-1);
        var customer = Treated(1)[0];
        await events.TrackAsync(new TrackRequest { Event = Ev.Purchase(customer, DateTime.UtcNow.AddMinutes(-5), 20) });
        var decisionId = await DecideAsync(decisions, customer, offer);
        await decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = customer, DecisionId = decisionId, OfferId = offer, Outcome = Outcome.Clicked });

        // After the decision the customer buys three more times.
        foreach (var minutes in new[] { 3, 2, 1 })
        {
            await events.TrackAsync(new TrackRequest { Event = Ev.Purchase(customer, DateTime.UtcNow.AddMinutes(-minutes), 20) });
        }

        var rows = await ExportAsync(models, since, "purchases", "revenue", "offer_reward");
        var profile = await new ProfileService.ProfileServiceClient(shared.Channel).GetProfileAsync(new GetProfileRequest { CustomerId = customer });

        var header = rows[0];
        var row = Assert.Single(rows.Skip(1), r => r[0] == customer);
        Assert.Equal(["customer_id", "decision_id", "offer_id", "decided_at", "channel", "arm", "offer_model_version", "placement", "propensity", "score", "purchases", "revenue", "offer_reward", "outcome", "accepted"], header);
        Assert.Equal((decisionId, offer, "web", "1", "1", "20", "5", "clicked", "1"), (row[1], row[2], row[4], row[8], row[10], row[11], row[12], row[13], row[14]));
        Assert.Equal(4, profile.Behaviour.Purchases);
    }

    [Fact]
    public async Task CampaignFanOutDecisionsAreLoggedWithTheirSlatesAndPropensities()
    {
        var shared = environment.Shared;
        var (events, segments, campaigns) = (new EventService.EventServiceClient(shared.Channel), new SegmentService.SegmentServiceClient(shared.Channel), new CampaignService.CampaignServiceClient(shared.Channel));
        var offerService = new OfferService.OfferServiceClient(shared.Channel);
        string[] offers = [await CampaignTests.OfferAsync(offerService, Channel.Email), await CampaignTests.OfferAsync(offerService, Channel.Email)];
        var since = DateTime.UtcNow.AddSeconds(-1);
        var cohort = Guid.NewGuid().ToString("N");
        var ids = await CampaignTests.CustomersAsync(events, cohort, 12);
        var segment = $"logged-{cohort[..8]}";
        await segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = segment, Rule = $"cohort = '{cohort}'" } });
        await SegmentLifecycleTests.ActiveAsync(segments, segment);
        var definition = CampaignTests.Definition(segment, offers[0], 0);
        definition.OfferIds.Add(offers[1]);
        var campaign = await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = definition });

        await campaigns.StartCampaignAsync(new StartCampaignRequest { CampaignId = campaign.CampaignId });
        var done = (await CampaignTests.WatchAsync(campaigns, campaign.CampaignId, TimeSpan.FromMinutes(2)))[^1];
        var log = shared.Services.GetRequiredService<IDecisionLog>();
        await log.FlushAsync(CancellationToken.None);
        var logged = (await log.ReadAsync(since, DateTime.UtcNow, CancellationToken.None)).Decisions
            .Where(d => ids.Contains(d.CustomerId)).ToList();
        var profile = await new ProfileService.ProfileServiceClient(shared.Channel).GetProfileAsync(new GetProfileRequest { CustomerId = ids[0] });

        Assert.Equal(12, done.Decided);
        Assert.Equal(ids.Order(), logged.Select(d => d.CustomerId).Order());
        Assert.Contains(logged, d => d.DecisionId == profile.RecentDecisions.Single(r => r.CampaignId == campaign.CampaignId).DecisionId);
        Assert.All(logged, d =>
        {
            var slate = Assert.Single(d.Slates);
            Assert.Equal(2, slate.Candidates.Count);
            Assert.Contains(slate.Chosen, offers);
            Assert.Equal(Decisioning.Customers.Channel.Email, slate.Channel);
            // The greedy first keeps 1 − ε plus its share of the exploration draw; the other only its share.
            Assert.InRange(slate.Propensity, 0.0001, 1);
            Assert.NotNull(d.Feature("purchases"));
        });
    }

    [Fact]
    public async Task AFeatureTheDecisionsDidNotLogIsRefusedByName()
    {
        var shared = environment.Shared;
        var (decisions, models) = (new DecisionService.DecisionServiceClient(shared.Channel), new ModelService.ModelServiceClient(shared.Channel));
        var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(shared.Channel), Channel.Web);
        var since = DateTime.UtcNow.AddSeconds(-1);
        await DecideAsync(decisions, Treated(1)[0], offer);

        var error = await Assert.ThrowsAsync<RpcException>(() => ExportAsync(models, since, "purchases", "loyalty_tier:string"));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("features[1]: 'loyalty_tier' was not logged with the decisions", error.Status.Detail);
    }

    [Fact]
    public async Task ErasureRemovesTheCustomersLoggedDecisionsAndOutcomes()
    {
        var shared = environment.Shared;
        var (decisions, models) = (new DecisionService.DecisionServiceClient(shared.Channel), new ModelService.ModelServiceClient(shared.Channel));
        var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(shared.Channel), Channel.Web);
        var since = DateTime.UtcNow.AddSeconds(-1);
        var (kept, erased) = (Treated(1)[0], Treated(1)[0]);
        await new EventService.EventServiceClient(shared.Channel).TrackBatchAsync(Batch([Ev.Session(kept, DateTime.UtcNow), Ev.Session(erased, DateTime.UtcNow)]));
        var decisionId = await DecideAsync(decisions, erased, offer);
        await decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = erased, DecisionId = decisionId, OfferId = offer, Outcome = Outcome.Converted });
        await DecideAsync(decisions, kept, offer);
        Assert.Equal(2, (await ExportAsync(models, since, "purchases")).Count(r => r[0] == kept || r[0] == erased));

        await new ProfileService.ProfileServiceClient(shared.Channel).ForgetProfileAsync(new ForgetProfileRequest { CustomerId = erased });

        Assert.Equal([kept], (await ExportAsync(models, since, "purchases")).Skip(1).Select(r => r[0]).Where(c => c == kept || c == erased));
    }

    [Fact]
    public async Task AStagedOfferModelGetsAnOfflineEstimateAndTheActiveOneItsDrift()
    {
        var shared = environment.Shared;
        var (decisions, models) = (new DecisionService.DecisionServiceClient(shared.Channel), new ModelService.ModelServiceClient(shared.Channel));
        var offerService = new OfferService.OfferServiceClient(shared.Channel);
        string[] offers = [await CampaignTests.OfferAsync(offerService, Channel.Web), await CampaignTests.OfferAsync(offerService, Channel.Web)];
        var since = DateTime.UtcNow.AddSeconds(-1);
        foreach (var (customer, i) in Treated(40).Select((c, i) => (c, i)))
        {
            var context = new DecisionContext { Mode = DecisionMode.Inbound, Channels = { Channel.Web }, OfferIds = { offers } };
            var decision = await decisions.DecideAsync(new DecideRequest { CustomerId = customer, Context = context });
            if (i % 3 == 0)
            {
                await decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = customer, DecisionId = decision.DecisionId, OfferId = decision.Actions[0].OfferId, Outcome = Outcome.Clicked });
            }
        }

        var folder = Path.Combine(AppContext.BaseDirectory, "models", "offer");
        var shipped = ModelBundle.Read(Directory.GetFiles(folder, "*.zip").Single());
        var version = $"offer-offline-{Guid.NewGuid():N}";
        var bytes = (shipped with { Manifest = shipped.Manifest with { Version = version } }).ToBytes();
        await ModelLifecycleTests.PushAsync(models, bytes, ModelKind.Offer);

        var estimate = await models.GetOfflineEstimateAsync(new GetOfflineEstimateRequest { Version = version, Since = Timestamp.FromDateTime(since) });
        var active = (await models.ListModelsAsync(new ListModelsRequest { Kind = ModelKind.Offer })).Versions.Single(v => v.Status == ModelStatus.Active);
        var withDrift = await models.GetModelAsync(new GetModelRequest { Kind = ModelKind.Offer, Version = active.Version, DriftDays = 1 });

        var (logged, outcomes, written) = shared.Services.GetRequiredService<IDecisionLog>().Written;
        output.WriteLine($"decision log: {logged} decisions, {outcomes} outcomes, {written} bytes, {(double)written / Math.Max(1, logged):0} bytes per decision with its outcomes");
        Assert.InRange(estimate.Examples, 40, 10_000);
        // The same model as the one that decided: it agrees with every greedy choice, so IPS and the logged rate are close.
        Assert.True(estimate.Matched > estimate.Examples / 2, $"{estimate.Matched} of {estimate.Examples}");
        Assert.True(estimate.Ips.Low <= estimate.Ips.Rate && estimate.Ips.Rate <= estimate.Ips.High);
        Assert.True(estimate.DoublyRobust.Low <= estimate.DoublyRobust.Rate && estimate.DoublyRobust.Rate <= estimate.DoublyRobust.High);
        Assert.Contains("doubly robust", estimate.Method);
        var age = Assert.Single(withDrift.Drift, d => d.Feature == "age");
        // These customers have no age: every live value is missing, unlike the hold-out's.
        Assert.True(age.Psi > 0.25 && age.Warning && age.Reading == "major shift", $"age PSI {age.Psi}");
        Assert.True(age.LiveRows >= 40 && age.ReferenceRows > 100, $"{age.LiveRows} live, {age.ReferenceRows} reference");
    }

    [Fact]
    public async Task AnOfflineEstimateOfAnUnknownVersionIsNotFound()
    {
        var models = new ModelService.ModelServiceClient(environment.Shared.Channel);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await models.GetOfflineEstimateAsync(new GetOfflineEstimateRequest { Version = "offer-none" }));
        var window = await Assert.ThrowsAsync<RpcException>(async () => await models.GetOfflineEstimateAsync(new GetOfflineEstimateRequest { Version = "offer-none", OutcomeWindowHours = 1000 }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, window.StatusCode);
        Assert.StartsWith("outcome_window_hours:", window.Status.Detail);
    }
}
