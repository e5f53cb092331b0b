using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;
using static Personalization.Server.Tests.EventServiceTests;
using Value = Personalization.V1.Value;

namespace Personalization.Server.Tests;

/// <summary>Segments over real gRPC: backfill of existing customers, live membership, updates, previews, bad input.</summary>
[Collection(ServerCollection.Name)]
public sealed class SegmentLifecycleTests(ServerEnvironment environment)
{
    private readonly SegmentService.SegmentServiceClient _segments = new(environment.Shared.Channel);
    private readonly EventService.EventServiceClient _events = new(environment.Shared.Channel);
    private readonly ProfileService.ProfileServiceClient _profiles = new(environment.Shared.Channel);

    private static string NewName() => $"s-{Guid.NewGuid():N}"[..20];

    /// <summary>Customers of a cohort of their own (so other tests' customers never match), with purchases.</summary>
    private Task<List<string>> CustomersAsync(string cohort, params int[] purchases) => CustomersAsync(_events, cohort, purchases);

    private static async Task<List<string>> CustomersAsync(EventService.EventServiceClient events, string cohort, params int[] purchases)
    {
        var ids = new List<string>();
        var batch = new TrackBatchRequest();
        foreach (var count in purchases)
        {
            var id = NewCustomer();
            ids.Add(id);
            batch.Events.Add(Ev.Traits(id, DateTime.UtcNow.AddMinutes(-10), ("cohort", new Value { StringValue = cohort })));
            for (var i = 0; i < count; i++)
            {
                batch.Events.Add(Ev.Purchase(id, DateTime.UtcNow.AddMinutes(-9 + i), 20));
            }
        }

        await events.TrackBatchAsync(batch);
        return ids;
    }

    internal static async Task<Segment> ActiveAsync(SegmentService.SegmentServiceClient segments, string name)
    {
        for (var i = 0; i < 600; i++)
        {
            var segment = await segments.GetSegmentAsync(new GetSegmentRequest { Name = name });
            if (segment.Status == SegmentStatus.Active)
            {
                return segment;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"segment {name} did not finish its backfill in 60 s");
    }

    [Fact]
    public async Task ANewSegmentIsBackfilledFromCustomersWhoExistAlready()
    {
        var cohort = Guid.NewGuid().ToString("N");
        var ids = await CustomersAsync(cohort, 0, 1, 2, 3, 4);
        var name = NewName();

        var created = await _segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = name, Description = "repeat buyers", Rule = $"cohort = '{cohort}' and purchases >= 2" } });
        var active = await ActiveAsync(_segments, name);

        Assert.Equal(SegmentStatus.Backfilling, created.Status);
        Assert.Equal(3, active.MemberCount);
        Assert.Equal(1, active.BackfillProgress);
        Assert.Contains(name, (await _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = ids[3] })).Segments);
        Assert.DoesNotContain(name, (await _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = ids[1] })).Segments);
    }

    [Fact]
    public async Task MembershipFollowsEachCustomersChanges()
    {
        var cohort = Guid.NewGuid().ToString("N");
        var ids = await CustomersAsync(cohort, 1, 2);
        var name = NewName();
        await _segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = name, Rule = $"cohort = '{cohort}' and purchases >= 2 and not plan = 'closed'" } });
        Assert.Equal(1, (await ActiveAsync(_segments, name)).MemberCount);

        await _events.TrackAsync(new TrackRequest { Event = Ev.Purchase(ids[0], DateTime.UtcNow, 5) });
        var joined = await _segments.GetSegmentAsync(new GetSegmentRequest { Name = name });
        await _events.TrackAsync(new TrackRequest { Event = Ev.Traits(ids[1], DateTime.UtcNow, ("plan", new Value { StringValue = "closed" })) });
        var left = await _segments.GetSegmentAsync(new GetSegmentRequest { Name = name });

        Assert.Equal(2, joined.MemberCount);
        Assert.Equal(1, left.MemberCount);
        Assert.DoesNotContain(name, (await _profiles.GetProfileAsync(new GetProfileRequest { CustomerId = ids[1] })).Segments);
    }

    [Fact]
    public async Task ChangingTheRuleRefillsTheSegmentAndSegmentsOfSegmentsFollow()
    {
        var cohort = Guid.NewGuid().ToString("N");
        await CustomersAsync(cohort, 1, 2, 3, 4);
        var (buyers, loyal) = (NewName(), NewName());
        await _segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = buyers, Rule = $"cohort = '{cohort}' and purchases >= 3" } });
        await ActiveAsync(_segments, buyers);
        await _segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = loyal, Rule = $"in_segment('{buyers}') and revenue >= 60" } });
        Assert.Equal(2, (await ActiveAsync(_segments, loyal)).MemberCount);

        await _segments.UpdateSegmentAsync(new UpdateSegmentRequest { Segment = new Segment { Name = buyers, Rule = $"cohort = '{cohort}' and purchases >= 1" } });
        var refilled = await ActiveAsync(_segments, buyers);
        var dependent = await _segments.GetSegmentAsync(new GetSegmentRequest { Name = loyal });

        Assert.Equal(4, refilled.MemberCount);
        Assert.Equal(2, dependent.MemberCount); // revenue >= 60 still needs 3 purchases of 20
        var blocked = await Assert.ThrowsAsync<RpcException>(async () => await _segments.DeleteSegmentAsync(new DeleteSegmentRequest { Name = buyers }));
        Assert.Equal(StatusCode.FailedPrecondition, blocked.StatusCode);
        Assert.Contains($"segment '{loyal}' reads '{buyers}'", blocked.Status.Detail);
    }

    [Fact]
    public async Task DeletingASegmentEmptiesItAndFreesTheName()
    {
        var cohort = Guid.NewGuid().ToString("N");
        await CustomersAsync(cohort, 1, 1);
        var name = NewName();
        await _segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = name, Rule = $"cohort = '{cohort}'" } });
        await ActiveAsync(_segments, name);

        var deleted = await _segments.DeleteSegmentAsync(new DeleteSegmentRequest { Name = name });
        var again = await _segments.DeleteSegmentAsync(new DeleteSegmentRequest { Name = name });
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await _segments.GetSegmentAsync(new GetSegmentRequest { Name = name }));
        await _segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = name, Rule = $"cohort = '{cohort}' and purchases > 5" } });

        Assert.True(deleted.Deleted);
        Assert.False(again.Deleted);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        Assert.Equal(0, (await ActiveAsync(_segments, name)).MemberCount);
    }

    [Fact]
    public async Task APreviewCountsAndSamplesWithoutSaving()
    {
        // Its own server, so the sample (up to 10,000 customers) holds every customer.
        await using var server = await TestServer.StartAsync(TestServer.Settings(environment.Azurite));
        var segments = new SegmentService.SegmentServiceClient(server.Channel);
        var cohort = Guid.NewGuid().ToString("N");
        var ids = await CustomersAsync(new EventService.EventServiceClient(server.Channel), cohort, 1, 2, 3, 4);

        var preview = await segments.PreviewSegmentAsync(new PreviewSegmentRequest { Rule = $"cohort = '{cohort}' and purchases >= 2", SampleSize = 2 });

        Assert.Equal((3, 4), (preview.Matching, preview.Evaluated));
        Assert.Equal(ids.Skip(1).Order(StringComparer.Ordinal).Take(2), preview.SampleCustomerIds);
        Assert.Empty((await segments.ListSegmentsAsync(new ListSegmentsRequest())).Segments);
    }

    [Fact]
    public async Task SegmentsArePagedByName()
    {
        var prefix = $"page-{Guid.NewGuid():N}"[..14];
        foreach (var n in new[] { "c", "a", "b" })
        {
            await _segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = $"{prefix}-{n}", Rule = "purchases > 1000000" } });
        }

        var all = new List<string>();
        var token = "";
        do
        {
            var page = await _segments.ListSegmentsAsync(new ListSegmentsRequest { Page = new PageRequest { PageSize = 2, PageToken = token } });
            all.AddRange(page.Segments.Select(s => s.Name));
            token = page.Page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal([$"{prefix}-a", $"{prefix}-b", $"{prefix}-c"], all.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.Equal(all.Order(StringComparer.Ordinal), all);
    }

    [Theory]
    [InlineData("Bad Name", "purchases > 1", "segment.name")]
    [InlineData("{name}", "purchases >", "segment.rule: at 1:12: the rule ends too soon")]
    [InlineData("{name}", "churn > \"high\"", "segment.rule: at 1:9: type mismatch: 'churn' is a number")]
    [InlineData("{name}", "in_segment(nowhere-at-all)", "segment.rule: in_segment(nowhere-at-all): no segment")]
    [InlineData("{name}", "", "segment.rule: is required")]
    public async Task ABadSegmentIsRejectedAndNothingIsSaved(string name, string rule, string expected)
    {
        name = name.Replace("{name}", NewName(), StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = name, Rule = rule } }));
        var lookup = await Assert.ThrowsAsync<RpcException>(async () => await _segments.GetSegmentAsync(new GetSegmentRequest { Name = name }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail);
        Assert.Equal(StatusCode.NotFound, lookup.StatusCode);
    }

    [Fact]
    public async Task DuplicatesUnknownsAndBadUpdatesGetClearStatusesAndChangeNothing()
    {
        var name = NewName();
        await _segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = name, Rule = "purchases > 2" } });

        var duplicate = await Assert.ThrowsAsync<RpcException>(async () => await _segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = name, Rule = "purchases > 3" } }));
        var badUpdate = await Assert.ThrowsAsync<RpcException>(async () => await _segments.UpdateSegmentAsync(new UpdateSegmentRequest { Segment = new Segment { Name = name, Rule = "purchases >>" } }));
        var unknown = await Assert.ThrowsAsync<RpcException>(async () => await _segments.UpdateSegmentAsync(new UpdateSegmentRequest { Segment = new Segment { Name = NewName(), Rule = "purchases > 1" } }));
        var empty = await Assert.ThrowsAsync<RpcException>(async () => await _segments.CreateSegmentAsync(new CreateSegmentRequest()));
        var badPreview = await Assert.ThrowsAsync<RpcException>(async () => await _segments.PreviewSegmentAsync(new PreviewSegmentRequest { Rule = "purchases > 1", SampleSize = 101 }));
        var stored = await _segments.GetSegmentAsync(new GetSegmentRequest { Name = name });

        Assert.Equal(StatusCode.AlreadyExists, duplicate.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, badUpdate.StatusCode);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, empty.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, badPreview.StatusCode);
        Assert.Equal("purchases > 2", stored.Rule);
    }

    [Fact]
    public async Task SegmentsAndTheirMembersSurviveARestart()
    {
        var container = $"restart-{Guid.NewGuid():N}";
        var cohort = Guid.NewGuid().ToString("N");
        await using (var before = await TestServer.StartAsync(TestServer.Settings(environment.Azurite, container)))
        {
            var segments = new SegmentService.SegmentServiceClient(before.Channel);
            await CustomersAsync(new EventService.EventServiceClient(before.Channel), cohort, 1, 2, 3);
            await segments.CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = "survivors", Rule = $"cohort = '{cohort}' and purchases >= 2" } });
            Assert.Equal(2, (await ActiveAsync(segments, "survivors")).MemberCount);
            await Task.Delay(1500); // shards save within a second
        }

        await using var after = await TestServer.StartAsync(TestServer.Settings(environment.Azurite, container));
        var restarted = await new SegmentService.SegmentServiceClient(after.Channel).GetSegmentAsync(new GetSegmentRequest { Name = "survivors" });

        Assert.Equal((2L, SegmentStatus.Active), (restarted.MemberCount, restarted.Status));
        Assert.Equal(3, (await new ProfileService.ProfileServiceClient(after.Channel).ListProfilesAsync(new ListProfilesRequest())).CustomerIds.Count);
    }
}
