using Azure.Storage.Queues;
using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>
/// A campaign on a two-silo cluster of real server processes (Azure Table membership, Azurite storage)
/// survives one silo being killed mid-run: it completes with every member decided exactly once.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class CampaignFaultTests(ServerEnvironment environment)
{
    private const int Members = 3_000;

    [Fact]
    public async Task ACampaignResumesAfterASiloIsKilledWithNoDuplicatesAndNoGaps()
    {
        var silos = new SiloProcesses(environment.Azurite);
        var (portA, portB) = (FreePorts.Next(), FreePorts.Next());
        string[] settings = ["--Storage:DeliveryLead=1.02:00:00", "--Fanout:PageSize=4"];
        await using var survivor = await silos.StartAsync(portA, settings);
        var victim = await silos.StartAsync(portB, settings);
        try
        {
            var (grpc, channel) = SiloProcesses.Client(portA);
            using var _ = grpc;
            var (events, segments, campaigns, profiles) = (new EventService.EventServiceClient(channel), new SegmentService.SegmentServiceClient(channel),
                new CampaignService.CampaignServiceClient(channel), new ProfileService.ProfileServiceClient(channel));
            var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(channel), Channel.Email);
            var cohort = Guid.NewGuid().ToString("N");
            var ids = await CampaignTests.CustomersAsync(events, cohort, Members);
            await segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = "fault-audience", Rule = $"cohort = '{cohort}'" } });
            Assert.Equal(Members, (await SegmentLifecycleTests.ActiveAsync(segments, "fault-audience")).MemberCount);
            await Task.Delay(1500); // membership shards save within a second

            var campaign = await campaigns.CreateCampaignAsync(new CreateCampaignRequest { Campaign = CampaignTests.Definition("fault-audience", offer, 0.1) });
            await campaigns.StartCampaignAsync(new StartCampaignRequest { CampaignId = campaign.CampaignId });
            long decidedAtKill;
            do
            {
                decidedAtKill = (await campaigns.GetCampaignAsync(new GetCampaignRequest { CampaignId = campaign.CampaignId })).Progress.Decided;
            }
            while (decidedAtKill < Members / 5);

            await victim.DisposeAsync(); // SIGKILL: no graceful shutdown, no state flushed
            var done = await CompletedAsync(campaigns, campaign.CampaignId, TimeSpan.FromMinutes(4));

            Assert.InRange(decidedAtKill, Members / 5, Members - 1);
            Assert.Equal((Members, Members), (done.Progress.Targeted, done.Progress.Decided));
            var queued = done.Progress.Channels.Single().Queued;
            Assert.Equal(Members, queued + done.Progress.Suppressed.Sum(s => s.Count));

            // Exactly once per customer: each holds one decision of the campaign, or one holdout mark.
            var decisionsOf = new Dictionary<string, int>();
            foreach (var id in ids)
            {
                var profile = await ReadAfterTheKillAsync(profiles, id);
                decisionsOf[id] = profile.RecentDecisions.Count(d => d.CampaignId == campaign.CampaignId);
            }

            Assert.All(decisionsOf.Values, n => Assert.InRange(n, 0, 1));
            Assert.Equal(queued, decisionsOf.Values.Sum());

            // No gaps in the queue: every treated member's delivery is there (a repeat only if a round was cut between queueing and saving).
            var messages = await CampaignTests.DrainAsync(new QueueClient(environment.Azurite.ConnectionString, $"{silos.Queues}-email"));
            var delivered = messages.SelectMany(m => m.GetProperty("deliveries").EnumerateArray().Select(d => d.GetProperty("customer_id").GetString()!)).ToList();
            Assert.Equal(decisionsOf.Where(p => p.Value == 1).Select(p => p.Key).Order(StringComparer.Ordinal), delivered.Distinct().Order(StringComparer.Ordinal));
            Assert.InRange(delivered.Count - delivered.Distinct().Count(), 0, 64 * 4);
        }
        finally
        {
            await victim.DisposeAsync();
        }
    }

    private static async Task<Campaign> CompletedAsync(CampaignService.CampaignServiceClient campaigns, string id, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                // Asking also reactivates the campaign on the survivor if it lived on the killed silo.
                var campaign = await campaigns.GetCampaignAsync(new GetCampaignRequest { CampaignId = id }, deadline: DateTime.UtcNow.AddSeconds(20));
                if (campaign.State == CampaignState.Completed)
                {
                    return campaign;
                }
            }
            catch (RpcException) when (DateTime.UtcNow < deadline)
            {
                // Until the cluster declares the dead silo dead, calls to its grains fail.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"campaign {id} did not complete within {timeout}");
            }

            await Task.Delay(500);
        }
    }

    // A customer last active on the killed silo may answer UNAVAILABLE ("retry with backoff") until the
    // cluster has noticed the silo is gone, and so may a read whose audit entry a busy store did not take within
    // its 5 s (seen on a loaded machine); a client following the contract retries.
    private static async Task<Profile> ReadAfterTheKillAsync(ProfileService.ProfileServiceClient profiles, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(180);
        while (true)
        {
            try
            {
                return await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = id });
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }
}
