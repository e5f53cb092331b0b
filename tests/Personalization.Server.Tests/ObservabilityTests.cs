using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>OpenTelemetry export to a real OTLP/HTTP receiver on loopback, and the Orleans Dashboard by configuration.</summary>
[Collection(ServerCollection.Name)]
public sealed class ObservabilityTests(ServerEnvironment environment)
{
    [Fact]
    public async Task MetricsTracesAndLogsReachAnOtlpCollector()
    {
        var received = new ConcurrentDictionary<string, ConcurrentQueue<string>>();
        var collectorPort = FreePorts.Next();
        var collector = WebApplication.CreateBuilder();
        collector.WebHost.UseUrls($"http://127.0.0.1:{collectorPort}");
        collector.Logging.ClearProviders();
        await using var app = collector.Build();
        app.MapPost("/v1/{signal}", async (string signal, HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            // OTLP protobuf keeps names and string attributes as UTF-8: readable enough to assert on.
            received.GetOrAdd(signal, _ => new()).Enqueue(Encoding.UTF8.GetString(body.ToArray()));
            return Results.Ok();
        });
        await app.StartAsync();

        var settings = TestServer.Settings(environment.Azurite);
        settings["Telemetry:OtlpEndpoint"] = $"http://127.0.0.1:{collectorPort}";
        settings["Telemetry:OtlpProtocol"] = "http/protobuf";
        settings["Telemetry:MetricInterval"] = "00:00:00.500";
        settings["Logging:LogLevel:Personalization"] = "Debug";
        await using var server = await TestServer.StartAsync(settings);
        var customer = $"otel-{Guid.NewGuid():N}";
        await new EventService.EventServiceClient(server.Channel).TrackAsync(new TrackRequest { Event = Ev.Session(customer, DateTime.UtcNow) });
        var decision = await new DecisionService.DecisionServiceClient(server.Channel).DecideAsync(new DecideRequest { CustomerId = customer, Context = new DecisionContext { Channels = { Channel.Web } } });

        bool Seen(string signal, string text) => received.TryGetValue(signal, out var bodies) && bodies.Any(b => b.Contains(text, StringComparison.Ordinal));
        string[] metrics = ["personalization.decisions", "personalization.events", "personalization.scoring.duration", "personalization.model.active", "orleans-"];
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && !(metrics.All(m => Seen("metrics", m)) && Seen("traces", decision.DecisionId) && Seen("logs", decision.DecisionId)))
        {
            await Task.Delay(250);
        }

        Assert.All(metrics, m => Assert.True(Seen("metrics", m), $"metric {m} not exported"));
        Assert.True(Seen("metrics", "personalization"), "service name missing");
        Assert.True(Seen("traces", decision.DecisionId), "the decide span with its decision id was not exported");
        Assert.True(Seen("traces", "/personalization.v1.DecisionService/Decide"), "the gRPC server span was not exported");
        Assert.True(Seen("logs", decision.DecisionId), "the decision log line with its id was not exported");
    }

    [Fact]
    public async Task TheDashboardIsServedOnItsOwnPortOnlyWhenEnabled()
    {
        var port = FreePorts.Next();
        var settings = TestServer.Settings(environment.Azurite);
        settings["Dashboard:Enabled"] = "true";
        settings["Dashboard:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using (var server = await TestServer.StartAsync(settings))
        {
            using var http = new HttpClient();
            var page = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/"));
            Assert.True(page.IsSuccessStatusCode, $"dashboard answered {page.StatusCode}");
            Assert.Contains("html", (await page.Content.ReadAsStringAsync()).ToLowerInvariant(), StringComparison.Ordinal);
        }

        var off = TestServer.Settings(environment.Azurite);
        off["Dashboard:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var without = await TestServer.StartAsync(off);
        Assert.False(await ServerProcess.IsListeningAsync(port));
    }
}
