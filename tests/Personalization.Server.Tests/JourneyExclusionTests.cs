using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>
/// Exclusion groups and the total entry limit over real gRPC on the shared server (Azurite): the results
/// count who was not entered, by reason, and a bad group or limit is refused naming the field. The
/// journeys wait an hour before any send and enter only this test's tagged customers, so the shared
/// server's queues stay empty; they are archived at the end.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class JourneyExclusionTests(ServerEnvironment environment)
{
    private static Journey Tagged(string prefix, string offer, string tag, int priority, string group, long maxTotal)
    {
        var journey = JourneyTests.AbandonedCart(offer, TimeSpan.FromHours(1));
        journey.JourneyId = $"{prefix}-{Guid.NewGuid():N}"[..20];
        journey.Entry.Rule = $"test_tag = '{tag}'";
        journey.Priority = priority;
        journey.ExclusionGroup = group;
        journey.ReEntry = new ReEntry { Policy = ReEntryPolicy.AfterExit, MaxTotalEntries = maxTotal };
        return journey;
    }

    private static long NotEntered(JourneyStats stats, string reason) => stats.NotEntered.SingleOrDefault(r => r.Reason == reason)?.Count ?? 0;

    [Fact]
    public async Task ExclusiveJourneysEnterEachCustomerOnceAndATotalLimitStopsEntriesBothCountedByReason()
    {
        var shared = environment.Shared;
        var (events, journeys) = (new EventService.EventServiceClient(shared.Channel), new JourneyService.JourneyServiceClient(shared.Channel));
        var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(shared.Channel), Channel.Email, Channel.Push);
        var tag = Guid.NewGuid().ToString("N");
        var group = $"g-{Guid.NewGuid():N}";
        // "high" wins the group; it admits two customers in all, then "low" (same group) is the only one left open to them.
        var high = Tagged("high", offer, tag, 5, group, 2);
        var low = Tagged("low", offer, tag, 1, group, 0);
        foreach (var journey in new[] { high, low })
        {
            await journeys.CreateJourneyAsync(new CreateJourneyRequest { Journey = journey });
            await journeys.ActivateJourneyAsync(new JourneyIdRequest { JourneyId = journey.JourneyId });
        }

        await Task.Delay(TimeSpan.FromMilliseconds(1200)); // every silo's journey cache (JourneyCache.MaxAge) is past its age
        var customers = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var id = await JourneyTests.ReachableCustomerAsync(events);
            await events.TrackAsync(new TrackRequest { Event = Ev.Traits(id, DateTime.UtcNow, ("test_tag", new Personalization.V1.Value { StringValue = tag })) });
            customers.Add(id);
        }

        // One at a time, so which two "high" admits is known: the first two.
        foreach (var id in customers)
        {
            await events.TrackAsync(new TrackRequest { Event = Ev.Cart(id, EventType.AddToCart, DateTime.UtcNow, "p1", 1, 30) });
        }

        var highAfter = (await JourneyTests.WaitForAsync(journeys, high.JourneyId, s => s.Entered == 2 && NotEntered(s, "TOTAL_LIMIT") == 2, TimeSpan.FromSeconds(30))).Stats;
        var lowAfter = (await JourneyTests.WaitForAsync(journeys, low.JourneyId, s => s.Entered == 2 && NotEntered(s, "EXCLUDED") == 2, TimeSpan.FromSeconds(30))).Stats;
        await journeys.ArchiveJourneyAsync(new JourneyIdRequest { JourneyId = high.JourneyId });
        await journeys.ArchiveJourneyAsync(new JourneyIdRequest { JourneyId = low.JourneyId });

        // high: two entered, two refused by its limit; low: the first two excluded (in high), the last two entered.
        Assert.Equal((2L, 2L), (highAfter.Entered, NotEntered(highAfter, "TOTAL_LIMIT")));
        Assert.Equal((2L, 2L), (lowAfter.Entered, NotEntered(lowAfter, "EXCLUDED")));
        Assert.Equal(0, NotEntered(highAfter, "EXCLUDED"));
    }

    [Theory]
    [InlineData("two words", 0L, "journey.exclusion_group")]
    [InlineData("", -5L, "journey.re_entry.max_total_entries")]
    public async Task ABadGroupOrTotalLimitIsInvalidArgumentNamingTheFieldAndNothingIsSaved(string group, long maxTotal, string field)
    {
        var shared = environment.Shared;
        var journeys = new JourneyService.JourneyServiceClient(shared.Channel);
        var offer = await CampaignTests.OfferAsync(new OfferService.OfferServiceClient(shared.Channel), Channel.Email);
        var definition = Tagged("bad", offer, "x", 1, group, maxTotal);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await journeys.CreateJourneyAsync(new CreateJourneyRequest { Journey = definition }));
        var lookup = await Assert.ThrowsAsync<RpcException>(async () => await journeys.GetJourneyAsync(new GetJourneyRequest { JourneyId = definition.JourneyId }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(field, error.Status.Detail);
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
    }
}
