using System.Text;
using Azure.Storage.Blobs;
using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;
using static Personalization.Server.Tests.EventServiceTests;

namespace Personalization.Server.Tests;

/// <summary>
/// The persistence design, observed in Azure Storage and through crashes: every acknowledged change
/// is in the silo's change log before its answer; a graceful restart keeps everything; a killed
/// server's changes come back from its log, and the log is deleted once its customers took them over.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class CustomerPersistenceTests(ServerEnvironment environment)
{
    [Fact]
    public async Task AnAcknowledgedEventIsInTheChangeLogBeforeTheAnswer()
    {
        var container = $"policy-{Guid.NewGuid():N}";
        await using var server = await TestServer.StartAsync(TestServer.Settings(environment.Azurite, container));
        var events = new EventService.EventServiceClient(server.Channel);
        var c = NewCustomer();

        await events.TrackAsync(new TrackRequest { Event = Ev.Of(c, EventType.PageView, DateTime.UtcNow, Channel.Web) });
        var logged = await LogContentAsync(container + "-log");

        Assert.Contains(c, logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryAcknowledgedEventSurvivesAGracefulRestart()
    {
        var settings = TestServer.Settings(environment.Azurite, $"policy-{Guid.NewGuid():N}");
        var c = NewCustomer();
        await using (var before = await TestServer.StartAsync(settings))
        {
            var events = new EventService.EventServiceClient(before.Channel);
            await events.TrackBatchAsync(Batch([.. Views(c, 2), Ev.Purchase(c, DateTime.UtcNow, 10), .. Views(c, 1)]));
        }

        await using var after = await TestServer.StartAsync(settings);
        var profile = await new ProfileService.ProfileServiceClient(after.Channel).GetProfileAsync(new GetProfileRequest { CustomerId = c });

        Assert.Equal(3, profile.Behaviour.Views);
        Assert.Equal(1, profile.Behaviour.Purchases);
    }

    [Fact]
    public async Task AKilledServersChangesComeBackFromItsLogWhichIsThenDeleted()
    {
        var silos = new SiloProcesses(environment.Azurite);
        var c = NewCustomer();
        var at = DateTime.UtcNow.AddMinutes(-5);
        string decisionId, offerId, customer;
        // The restarted silo takes the same silo address (as a restarted host does), so the cluster
        // declares the killed one dead at once instead of waiting for it to miss its probes.
        var (firstPort, secondPort) = (FreePorts.Next(), FreePorts.Next());
        var siloPort = $"--Cluster:SiloPort={FreePorts.Next()}";
        await using (await silos.StartAsync(firstPort, "--Customers:RecoverySweep=00:00:01", siloPort))
        {
            var (grpc, invoker) = SiloProcesses.Client(firstPort);
            using var _ = grpc;
            var events = new EventService.EventServiceClient(invoker);
            var decisions = new DecisionService.DecisionServiceClient(invoker);
            offerId = $"o-{Guid.NewGuid():N}";
            await new OfferService.OfferServiceClient(invoker).CreateOfferAsync(new CreateOfferRequest
            {
                Offer = new Offer { OfferId = offerId, Name = "ten off", Type = OfferType.Discount, Value = 10, Reward = 5, Difficulty = 20, DurationDays = 7, Channels = { Channel.Web } },
            });

            // A customer outside the decision holdout, with behaviour, a purchase, consent, a decision and its outcome.
            DecideResponse decision;
            do
            {
                customer = NewCustomer();
                await events.TrackBatchAsync(Batch([.. Views(customer, 3), Ev.Purchase(customer, at, 25), Ev.Consent(customer, EventType.ConsentGranted, Channel.Email, at)]));
                decision = await decisions.DecideAsync(new DecideRequest { CustomerId = customer, Context = new DecisionContext { Mode = DecisionMode.Inbound, MaxActions = 1, OfferIds = { offerId }, Channels = { Channel.Web } } });
            }
            while (decision.Actions.Count == 0);

            decisionId = decision.DecisionId;
            Assert.True((await decisions.RecordOutcomeAsync(new RecordOutcomeRequest { CustomerId = customer, DecisionId = decisionId, OfferId = offerId, Outcome = Outcome.Shown })).Applied);
            await events.TrackAsync(new TrackRequest { Event = Ev.Of(c, EventType.PageView, at, Channel.Web) });
        } // SIGKILL: no closing snapshot, nothing flushed

        var logs = await LogFoldersAsync(silos.Container + "-log");
        await using var second = await silos.StartAsync(secondPort, "--Customers:RecoverySweep=00:00:01", siloPort);
        var (channel, client) = SiloProcesses.Client(secondPort);
        using var __ = channel;
        var profiles = new ProfileService.ProfileServiceClient(client);

        var profile = await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = customer });
        var other = await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = c });
        var deleted = await WaitForAsync(async () => !(await LogFoldersAsync(silos.Container + "-log")).Intersect(logs).Any(), TimeSpan.FromMinutes(3));

        Assert.Single(logs);
        Assert.Equal(3, profile.Behaviour.Views);
        Assert.Equal(1, profile.Behaviour.Purchases);
        Assert.Contains(profile.Consents, x => x.Channel == Channel.Email && x.Purposes.Count > 0);
        Assert.Equal("shown", Assert.Single(profile.RecentDecisions, d => d.DecisionId == decisionId).Outcome);
        Assert.Equal(1, other.EventCount);
        Assert.True(deleted, "the killed server's change log was not deleted after its customers took it over");
    }

    [Fact]
    public async Task AFullLogPushesBackWithResourceExhaustedAndChangesNothing()
    {
        var settings = TestServer.Settings(environment.Azurite, $"policy-{Guid.NewGuid():N}");
        settings["CustomerLog:MaxQueuedBytes"] = "1048576";
        await using var server = await TestServer.StartAsync(settings);
        var events = new EventService.EventServiceClient(server.Channel);
        var profiles = new ProfileService.ProfileServiceClient(server.Channel);
        var c = NewCustomer();
        await events.TrackAsync(new TrackRequest { Event = Ev.Of(c, EventType.PageView, DateTime.UtcNow, Channel.Web) });
        var log = (Contracts.Persistence.ICustomerLog)server.Services.GetService(typeof(Contracts.Persistence.ICustomerLog))!;

        // Fill the queue past its limit with appends the store has not taken yet.
        var filler = new byte[1024 * 1024 + 1];
        var pending = log.AppendAsync(filler);
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await events.TrackAsync(new TrackRequest { Event = Ev.Of(c, EventType.PageView, DateTime.UtcNow, Channel.Web) }));
        await pending;
        var profile = await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = c });

        Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
        Assert.Contains(refused.Trailers, t => t.Key == "grpc-retry-pushback-ms");
        Assert.Equal(1, profile.EventCount);
    }

    private static Event[] Views(string c, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => Ev.Of(c, EventType.PageView, DateTime.UtcNow, Channel.Web))];

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition, TimeSpan limit)
    {
        var until = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < until)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(500);
        }

        return false;
    }

    private async Task<string> LogContentAsync(string container)
    {
        var client = new BlobServiceClient(environment.Azurite.ConnectionString).GetBlobContainerClient(container);
        var text = new StringBuilder();
        await foreach (var blob in client.GetBlobsAsync())
        {
            text.Append(Encoding.UTF8.GetString((await client.GetBlobClient(blob.Name).DownloadContentAsync()).Value.Content.ToArray()));
        }

        return text.ToString();
    }

    private async Task<List<string>> LogFoldersAsync(string container)
    {
        var client = new BlobServiceClient(environment.Azurite.ConnectionString).GetBlobContainerClient(container);
        var folders = new HashSet<string>();
        await foreach (var blob in client.GetBlobsAsync())
        {
            folders.Add(blob.Name[..blob.Name.IndexOf('/', StringComparison.Ordinal)]);
        }

        return [.. folders];
    }
}
