using System.Diagnostics;
using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>
/// Azure Storage goes away for some seconds under a running server (a real Azurite, stopped and
/// started again on the same ports with its data): calls that need storage are UNAVAILABLE, warm
/// customers keep being served, nothing acknowledged is lost, and the server recovers by itself.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class StorageOutageTests
{
    private static readonly TimeSpan CallDeadline = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task AnOutageIsUnavailableForColdCustomersServesWarmOnesAndLosesNothing()
    {
        await using var azurite = new AzuriteFixture { Persistent = true };
        await azurite.InitializeAsync();
        var settings = TestServer.Settings(azurite);
        settings["Customers:SnapshotAfter"] = "00:00:01";
        var known = $"known-{Guid.NewGuid():N}";
        var cold = $"cold-{Guid.NewGuid():N}";
        var t0 = DateTime.UtcNow.AddMinutes(-10);

        await using (var server = await TestServer.StartAsync(settings))
        {
            var events = new EventService.EventServiceClient(server.Channel);
            var decisions = new DecisionService.DecisionServiceClient(server.Channel);
            var profiles = new ProfileService.ProfileServiceClient(server.Channel);
            await events.TrackAsync(new TrackRequest { Event = Ev.Consent(known, EventType.ConsentGranted, Channel.Email, t0) });
            var decide = new DecideRequest { CustomerId = known, Context = new DecisionContext { Mode = DecisionMode.Inbound, Channels = { Channel.Web } } };
            await decisions.DecideAsync(decide); // a running service: the offer catalog is warm too

            await azurite.StopAsync();

            // A customer whose state must be read first cannot be served: UNAVAILABLE, retryable.
            var clock = Stopwatch.StartNew();
            var coldError = await Assert.ThrowsAsync<RpcException>(async () =>
                await events.TrackAsync(new TrackRequest { Event = Ev.Consent(cold, EventType.ConsentGranted, Channel.Email, t0) }, deadline: DateTime.UtcNow + CallDeadline));
            Assert.Equal(StatusCode.Unavailable, coldError.StatusCode);
            Assert.Contains("retry", coldError.Status.Detail, StringComparison.Ordinal);
            Assert.True(clock.Elapsed < CallDeadline, $"the failure took {clock.Elapsed}");

            // A warm customer is still decided: a decision answers from memory.
            var decided = await decisions.DecideAsync(decide, deadline: DateTime.UtcNow + CallDeadline);
            Assert.Equal(known, decided.CustomerId);

            // An event is acknowledged only once it is durable: without storage, UNAVAILABLE, whatever its type.
            var viewed = Ev.Of(known, EventType.PageView, t0.AddMinutes(1), Channel.Web);
            var viewError = await Assert.ThrowsAsync<RpcException>(async () => await events.TrackAsync(new TrackRequest { Event = viewed }, deadline: DateTime.UtcNow + CallDeadline));
            Assert.Equal(StatusCode.Unavailable, viewError.StatusCode);
            var sms = Ev.Consent(known, EventType.ConsentGranted, Channel.Sms, t0.AddMinutes(2));
            var smsError = await Assert.ThrowsAsync<RpcException>(async () => await events.TrackAsync(new TrackRequest { Event = sms }, deadline: DateTime.UtcNow + CallDeadline));
            Assert.Equal(StatusCode.Unavailable, smsError.StatusCode);

            await azurite.StartAsync();

            // Recovery without a restart: the retried calls go through (the retried events are
            // duplicates of the ones kept in memory, made durable before the answer), and the cold
            // customer can be served.
            await RetryAsync(() => events.TrackAsync(new TrackRequest { Event = Ev.Consent(cold, EventType.ConsentGranted, Channel.Email, t0) }).ResponseAsync);
            await RetryAsync(() => events.TrackAsync(new TrackRequest { Event = viewed }).ResponseAsync);
            await events.TrackAsync(new TrackRequest { Event = sms });
            var profile = await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = known });
            Assert.Equal(3, profile.EventCount);

        }

        // Everything acknowledged, and the consent that was kept in memory, survived in storage.
        await using var restarted = await TestServer.StartAsync(settings);
        var after = new ProfileService.ProfileServiceClient(restarted.Channel);
        var knownAfter = await after.GetProfileAsync(new GetProfileRequest { CustomerId = known });
        Assert.Equal(3, knownAfter.EventCount);
        Assert.Contains(knownAfter.Consents, c => c.Channel == Channel.Sms && c.Purposes.Count > 0);
        Assert.Equal(1, (await after.GetProfileAsync(new GetProfileRequest { CustomerId = cold })).EventCount);
    }

    private static async Task RetryAsync<T>(Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                await call();
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }
}
