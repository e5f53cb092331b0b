using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Personalization.Server.Hosting;
using Personalization.Server.Security;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>Limits on a real server: per-key rates and message size give RESOURCE_EXHAUSTED and change nothing; overload protection reaches Orleans.</summary>
[Collection(ServerCollection.Name)]
public sealed class LimitTests(ServerEnvironment environment)
{
    private readonly string _slowKey = $"slow-{Guid.NewGuid():N}";
    private readonly string _fastKey = $"fast-{Guid.NewGuid():N}";

    private Dictionary<string, string?> Settings()
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["Auth:Enabled"] = "true";
        settings["Auth:Keys:slow-site:Sha256"] = ApiKeyInterceptor.Hash(_slowKey);
        settings["Auth:Keys:slow-site:Roles:0"] = "admin";
        settings["Auth:Keys:slow-site:RequestsPerSecond"] = "1";
        settings["Auth:Keys:slow-site:Burst"] = "3";
        settings["Auth:Keys:fast-site:Sha256"] = ApiKeyInterceptor.Hash(_fastKey);
        settings["Auth:Keys:fast-site:Roles:0"] = "admin";
        settings["Limits:MaxMessageBytes"] = "65536";
        return settings;
    }

    private static CallInvoker With(TestServer server, string key) => server.Channel.Sending(key);

    [Fact]
    public async Task AKeyOverItsRateIsRefusedUntilItsBucketRefills()
    {
        await using var server = await TestServer.StartAsync(Settings());
        var slow = new EventService.EventServiceClient(With(server, _slowKey));
        var fast = new EventService.EventServiceClient(With(server, _fastKey));
        var profiles = new ProfileService.ProfileServiceClient(With(server, _fastKey));

        // Six calls at once against a burst of 3 (refilled at 1 a second): three go through, the
        // others are refused — the checks all happen within a few milliseconds.
        var customers = Enumerable.Range(0, 6).Select(i => $"rate-{i}-{Guid.NewGuid():N}").ToArray();
        var outcomes = await Task.WhenAll(customers.Select(async c =>
        {
            try
            {
                await slow.TrackAsync(new TrackRequest { Event = Ev.Session(c, DateTime.UtcNow) });
                return (Customer: c, Error: (RpcException?)null);
            }
            catch (RpcException e)
            {
                return (Customer: c, Error: e);
            }
        }));
        var refusedCalls = outcomes.Where(o => o.Error is not null).ToList();
        Assert.InRange(refusedCalls.Count, 2, 3);
        Assert.All(refusedCalls, o =>
        {
            Assert.Equal(StatusCode.ResourceExhausted, o.Error!.StatusCode);
            Assert.Equal("key 'slow-site' is over its limit of 1 requests/s (burst 3) across the cluster; retry after a short pause.", o.Error.Status.Detail);
        });
        var refused = refusedCalls[0].Customer;

        // Nothing ran for the refused calls, all of it for the others; another key is not held back.
        foreach (var (customer, error) in outcomes)
        {
            if (error is null)
            {
                Assert.Equal(customer, (await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = customer })).CustomerId);
            }
            else
            {
                var missing = await Assert.ThrowsAsync<RpcException>(async () => await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = customer }));
                Assert.Equal(StatusCode.NotFound, missing.StatusCode);
            }
        }

        for (var i = 0; i < 20; i++)
        {
            await fast.TrackAsync(new TrackRequest { Event = Ev.Session($"fast-{i}", DateTime.UtcNow) });
        }

        // At 1 a second the bucket has a token again after a pause.
        await Task.Delay(TimeSpan.FromMilliseconds(1200));
        await slow.TrackAsync(new TrackRequest { Event = Ev.Session(refused, DateTime.UtcNow) });
        Assert.Equal(refused, (await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = refused })).CustomerId);
    }

    [Fact]
    public async Task ABurstAfterAnIdleSecondIsAdmittedUpToTheKeysBurst()
    {
        // A key allowed 1,000/s with a burst of 500: one call, a quiet second and a half (the silo's lease lapses and
        // its recent demand is one call), then 300 calls at once. Every one is within the burst, so none is refused:
        // the calls that waited for the small lease ask the owner again instead of being refused.
        var settings = Settings();
        var key = $"bursty-{Guid.NewGuid():N}";
        settings["Auth:Keys:bursty-site:Sha256"] = ApiKeyInterceptor.Hash(key);
        settings["Auth:Keys:bursty-site:Roles:0"] = "admin";
        settings["Auth:Keys:bursty-site:RequestsPerSecond"] = "1000";
        settings["Auth:Keys:bursty-site:Burst"] = "500";
        await using var server = await TestServer.StartAsync(settings);
        var events = new EventService.EventServiceClient(With(server, key));
        await events.TrackAsync(new TrackRequest { Event = Ev.Session($"burst-first-{Guid.NewGuid():N}", DateTime.UtcNow) });
        await Task.Delay(TimeSpan.FromMilliseconds(1500));

        var refused = await Task.WhenAll(Enumerable.Range(0, 300).Select(async i =>
        {
            try
            {
                await events.TrackAsync(new TrackRequest { Event = Ev.Session($"burst-{i}-{Guid.NewGuid():N}", DateTime.UtcNow) });
                return 0;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
                return 1;
            }
        }));

        Assert.Equal(0, refused.Sum());
    }

    [Fact]
    public async Task AMessageOverTheSizeLimitIsRefusedAndChangesNothing()
    {
        await using var server = await TestServer.StartAsync(Settings());
        var events = new EventService.EventServiceClient(With(server, _fastKey));
        var profiles = new ProfileService.ProfileServiceClient(With(server, _fastKey));
        var customer = $"big-{Guid.NewGuid():N}";
        var e = Ev.Session(customer, DateTime.UtcNow);
        e.Properties["blob"] = new Value { StringValue = new string('x', 70_000) };

        var error = await Assert.ThrowsAsync<RpcException>(async () => await events.TrackAsync(new TrackRequest { Event = e }));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = customer }));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task OverloadProtectionIsOnByDefaultAndFollowsTheSettings()
    {
        await using (var defaults = await TestServer.StartAsync(TestServer.Settings(environment.Azurite)))
        {
            var messaging = defaults.Services.GetRequiredService<IOptions<SiloMessagingOptions>>().Value;
            var collection = defaults.Services.GetRequiredService<IOptions<GrainCollectionOptions>>().Value;
            var shedding = defaults.Services.GetRequiredService<IOptions<LoadSheddingOptions>>().Value;
            Assert.Equal((2_000, 20_000), (messaging.MaxEnqueuedRequestsSoftLimit, messaging.MaxEnqueuedRequestsHardLimit));
            Assert.True(collection.EnableActivationSheddingOnMemoryPressure);
            Assert.Equal((85.0, 75.0), (collection.MemoryUsageLimitPercentage, collection.MemoryUsageTargetPercentage));
            Assert.True(shedding.LoadSheddingEnabled);
            Assert.Equal((95, 90), (shedding.CpuThreshold, shedding.MemoryThreshold));
        }

        var settings = TestServer.Settings(environment.Azurite);
        settings["Overload:GrainQueueLimit"] = "500";
        settings["Overload:GrainQueueWarning"] = "100";
        settings["Overload:ShedActivationsOnMemoryPressure"] = "false";
        await using var tuned = await TestServer.StartAsync(settings);
        var tunedMessaging = tuned.Services.GetRequiredService<IOptions<SiloMessagingOptions>>().Value;
        Assert.Equal((100, 500), (tunedMessaging.MaxEnqueuedRequestsSoftLimit, tunedMessaging.MaxEnqueuedRequestsHardLimit));
        Assert.False(tuned.Services.GetRequiredService<IOptions<GrainCollectionOptions>>().Value.EnableActivationSheddingOnMemoryPressure);
    }

    [Theory]
    [InlineData("Overload:MemoryTargetPercent", "90", "setting 'Overload:MemoryTargetPercent' must be below MemoryLimitPercent (85); got 90.")]
    [InlineData("Overload:GrainQueueWarning", "30000", "setting 'Overload:GrainQueueWarning' must not exceed GrainQueueLimit (20000); got 30000.")]
    [InlineData("Limits:MaxMessageBytes", "100", "setting 'Limits:MaxMessageBytes' ")]
    [InlineData("Auth:Keys:k:RequestsPerSecond", "-1", "setting 'Auth:Keys:k:RequestsPerSecond' must be 0 (no limit) or more; got -1.")]
    [InlineData("Telemetry:OtlpProtocol", "udp", "setting 'Telemetry:OtlpProtocol' must be grpc or http/protobuf; got 'udp'.")]
    [InlineData("Telemetry:OtlpEndpoint", "collector:4317", "setting 'Telemetry:OtlpEndpoint' must be an absolute URL")]
    [InlineData("Dashboard:Port", "70000", "setting 'Dashboard:Port' ")]
    public void ABadOperationsSettingStopsStartUpNamingIt(string key, string value, string message)
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["Auth:Keys:k:Sha256"] = new string('a', 64);
        settings["Auth:Keys:k:Roles:0"] = "app";
        settings[key] = value;

        var error = Assert.Throws<InvalidConfigurationException>(() => TestServer.Build(settings));

        Assert.StartsWith(message, error.Message);
    }
}
