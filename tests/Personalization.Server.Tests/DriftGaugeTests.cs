using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Personalization.Decisioning.Decisions;
using Personalization.Server.Models;
using Personalization.Testing;
using Personalization.V1;
using static Personalization.Server.Tests.EventServiceTests;
using DecisionMode = Personalization.V1.DecisionMode;
using ModelKind = Personalization.V1.ModelKind;

namespace Personalization.Server.Tests;

/// <summary>
/// Drift as metrics over real gRPC with Azurite: the <c>personalization.model.drift.psi</c> gauge,
/// read with a <see cref="MeterListener"/>, reports per kind, version, arm and feature the same
/// population stability index that GetModel shows for the active offer model.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class DriftGaugeTests(ServerEnvironment environment)
{
    [Fact]
    public async Task TheDriftGaugeReportsPerFeatureThePsiGetModelShows()
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["Models:DriftInterval"] = "00:00:01";
        settings["Models:DriftDays"] = "1";
        await using var server = await TestServer.StartAsync(settings);
        var (decisions, models) = (new DecisionService.DecisionServiceClient(server.Channel), new ModelService.ModelServiceClient(server.Channel));
        var offerService = new OfferService.OfferServiceClient(server.Channel);
        string[] offers = [await CampaignTests.OfferAsync(offerService, Channel.Web), await CampaignTests.OfferAsync(offerService, Channel.Web)];
        var customers = Enumerable.Range(0, 90).Select(_ => NewCustomer()).Where(id => !DecisionEngine.InHoldout(id, new DecisionPolicy())).Take(30);
        foreach (var customer in customers)
        {
            await decisions.DecideAsync(new DecideRequest { CustomerId = customer, Context = new DecisionContext { Mode = DecisionMode.Inbound, Channels = { Channel.Web }, OfferIds = { offers } } });
        }

        var active = (await models.ListModelsAsync(new ListModelsRequest { Kind = ModelKind.Offer })).Versions.Single(v => v.Status == ModelStatus.Active);
        // GetModel flushes the decision log; the gauge measures the same log on its next round.
        var shown = (await models.GetModelAsync(new GetModelRequest { Kind = ModelKind.Offer, Version = active.Version, DriftDays = 1 })).Drift
            .ToDictionary(d => d.Feature, d => d.Psi);
        Assert.Contains("age", shown.Keys);

        var factory = server.Services.GetRequiredService<IMeterFactory>();
        Dictionary<string, double> gauge = [];
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            gauge = Read(factory, active.Version);
            if (shown.All(s => gauge.TryGetValue(s.Key, out var psi) && Math.Abs(psi - s.Value) < 1e-4))
            {
                break;
            }

            await Task.Delay(200);
        }

        Assert.Equal(shown.Keys.Order(), gauge.Keys.Order());
        Assert.All(shown, s => Assert.Equal(s.Value, gauge[s.Key], 4));
        // These customers have no age: every live value is missing, unlike the hold-out's.
        Assert.True(gauge["age"] > 0.25, $"age PSI {gauge["age"]}");
    }

    // One collection of this server's drift gauge: PSI by feature for the offer model's champion version.
    private static Dictionary<string, double> Read(IMeterFactory factory, string version)
    {
        var read = new Dictionary<string, double>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == DriftGauge.InstrumentName && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(p => p.Key, p => p.Value as string);
            if (t["kind"] == "offer" && t["version"] == version && t["arm"] == "champion")
            {
                read[t["feature"]!] = value;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return read;
    }
}
