using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Personalization.Server.Audit;
using Personalization.Server.Security;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>The audit trail on a real server over Azurite: who changed, read, exported and erased what.</summary>
[Collection(ServerCollection.Name)]
public sealed class AuditTrailTests(ServerEnvironment environment)
{
    private static readonly Dictionary<string, (string Key, string Role)> Keys = new()
    {
        ["web-shop"] = ($"app-{Guid.NewGuid():N}", Roles.App),
        ["alice"] = ($"cm-{Guid.NewGuid():N}", Roles.CampaignManager),
        ["bob-admin"] = ($"admin-{Guid.NewGuid():N}", Roles.Admin),
        ["carol"] = ($"cm-{Guid.NewGuid():N}", Roles.CampaignManager),
    };

    private Dictionary<string, string?> Settings()
    {
        var settings = TestServer.Settings(environment.Azurite);
        settings["Auth:Enabled"] = "true";
        foreach (var (name, (key, role)) in Keys)
        {
            settings[$"Auth:Keys:{name}:Sha256"] = ApiKeyInterceptor.Hash(key);
            settings[$"Auth:Keys:{name}:Roles:0"] = role;
        }

        return settings;
    }

    private static CallInvoker As(TestServer server, string name) => server.Channel.Sending(Keys[name].Key);

    [Fact]
    public async Task ChangesReadsExportsAndErasuresAreRecordedWithTheKeyAndNothingPersonal()
    {
        await using var server = await TestServer.StartAsync(Settings());
        var customer = $"c-{Guid.NewGuid():N}";
        var secret = $"secret-{Guid.NewGuid():N}@example.com";
        var started = DateTime.UtcNow.AddSeconds(-1);

        await new EventService.EventServiceClient(As(server, "web-shop")).TrackAsync(new TrackRequest { Event = Ev.Traits(customer, DateTime.UtcNow, ("email", new Personalization.V1.Value { StringValue = secret })) });
        await new ProfileService.ProfileServiceClient(As(server, "web-shop")).GetProfileAsync(new GetProfileRequest { CustomerId = customer });
        var offer = new Offer { OfferId = $"o-{Guid.NewGuid():N}", Name = "10% off", Type = OfferType.Discount, Value = 10, Channels = { Channel.Web, Channel.Email } };
        await new OfferService.OfferServiceClient(As(server, "alice")).CreateOfferAsync(new CreateOfferRequest { Offer = offer });
        var segment = $"audit-{Guid.NewGuid():N}";
        await new SegmentService.SegmentServiceClient(As(server, "alice")).CreateSegmentAsync(new CreateSegmentRequest { Segment = new Segment { Name = segment, Rule = "cohort = 'audit'" } });
        var campaign = CampaignTests.Definition(segment, offer.OfferId, 0);
        campaign.CampaignId = $"camp-{Guid.NewGuid():N}";
        await new CampaignService.CampaignServiceClient(As(server, "carol")).CreateCampaignAsync(new CreateCampaignRequest { Campaign = campaign });
        var profiles = new ProfileService.ProfileServiceClient(As(server, "bob-admin"));
        await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = customer });
        await profiles.ExportProfileAsync(new ExportProfileRequest { CustomerId = customer });
        await profiles.ForgetProfileAsync(new ForgetProfileRequest { CustomerId = customer });
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await profiles.GetProfileAsync(new GetProfileRequest { CustomerId = customer }));

        var audit = new AuditService.AuditServiceClient(As(server, "bob-admin"));
        var about = await audit.SearchAuditAsync(new SearchAuditRequest { Target = customer, From = Timestamp.FromDateTime(started) });
        // The website's own track and profile read are machine traffic: not in the trail.
        Assert.Equal(
            [("bob-admin", "GetProfile", AuditKind.Read, "OK"), ("bob-admin", "ExportProfile", AuditKind.Export, "OK"),
             ("bob-admin", "ForgetProfile", AuditKind.Erase, "OK"), ("bob-admin", "GetProfile", AuditKind.Read, missing.StatusCode == StatusCode.NotFound ? "NOT_FOUND" : missing.StatusCode.ToString())],
            about.Entries.Select(e => (e.KeyName, e.Method.Split('/')[^1], e.Kind, e.Status)).ToList());
        Assert.All(about.Entries, e => Assert.Equal(new AuditTarget { Field = "customer_id", Id = customer }, Assert.Single(e.Targets)));
        Assert.True(about.Entries.Select(e => e.At.ToDateTime()).SequenceEqual(about.Entries.Select(e => e.At.ToDateTime()).Order()));

        var change = Assert.Single((await audit.SearchAuditAsync(new SearchAuditRequest { Target = offer.OfferId, From = Timestamp.FromDateTime(started) })).Entries);
        Assert.Equal(("alice", "/personalization.v1.OfferService/CreateOffer", AuditKind.Change, "OK"), (change.KeyName, change.Method, change.Kind, change.Status));
        Assert.Contains(new AuditTarget { Field = "offer_id", Id = offer.OfferId }, change.Targets);

        var campaignChange = Assert.Single((await audit.SearchAuditAsync(new SearchAuditRequest { Target = campaign.CampaignId, From = Timestamp.FromDateTime(started) })).Entries);
        Assert.Equal(("carol", "/personalization.v1.CampaignService/CreateCampaign", AuditKind.Change, "OK"), (campaignChange.KeyName, campaignChange.Method, campaignChange.Kind, campaignChange.Status));
        Assert.Contains(new AuditTarget { Field = "campaign_id", Id = campaign.CampaignId }, campaignChange.Targets);

        var byAlice = await audit.SearchAuditAsync(new SearchAuditRequest { KeyName = "alice", From = Timestamp.FromDateTime(started) });
        Assert.All(byAlice.Entries, e => Assert.Equal("alice", e.KeyName));
        Assert.Contains(byAlice.Entries, e => e.Method.EndsWith("/CreateOffer", StringComparison.Ordinal));

        var everything = await audit.SearchAuditAsync(new SearchAuditRequest { From = Timestamp.FromDateTime(started), Page = new PageRequest { PageSize = 1000 } });
        Assert.DoesNotContain(secret, everything.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnlyAdminsSearchAndBadSearchesNameTheField()
    {
        await using var server = await TestServer.StartAsync(Settings());
        var denied = await Assert.ThrowsAsync<RpcException>(async () =>
            await new AuditService.AuditServiceClient(As(server, "alice")).SearchAuditAsync(new SearchAuditRequest()));
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);

        var audit = new AuditService.AuditServiceClient(As(server, "bob-admin"));
        var now = DateTime.UtcNow;
        var tooWide = await Assert.ThrowsAsync<RpcException>(async () => await audit.SearchAuditAsync(new SearchAuditRequest
        {
            From = Timestamp.FromDateTime(now.AddDays(-200)),
            To = Timestamp.FromDateTime(now),
        }));
        Assert.Equal(StatusCode.InvalidArgument, tooWide.StatusCode);
        Assert.StartsWith("from:", tooWide.Status.Detail, StringComparison.Ordinal);

        var forged = await Assert.ThrowsAsync<RpcException>(async () => await audit.SearchAuditAsync(new SearchAuditRequest { Page = new PageRequest { PageToken = Convert.ToBase64String("x/y"u8.ToArray()) } }));
        Assert.Equal(StatusCode.InvalidArgument, forged.StatusCode);
        Assert.StartsWith("page.page_token:", forged.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PagesWalkTheTrailOldestFirstWithoutGapsOrRepeats()
    {
        await using var server = await TestServer.StartAsync(Settings());
        var started = DateTime.UtcNow.AddSeconds(-1);
        // A key of its own: the other tests' entries share the table.
        var offers = new OfferService.OfferServiceClient(As(server, "carol"));
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var offer = new Offer { OfferId = $"o-{i}-{Guid.NewGuid():N}", Name = "n", Type = OfferType.Discount, Value = 1, Channels = { Channel.Web } };
            await offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer });
            ids.Add(offer.OfferId);
        }

        var audit = new AuditService.AuditServiceClient(As(server, "bob-admin"));
        var seen = new List<string>();
        var token = "";
        do
        {
            var page = await audit.SearchAuditAsync(new SearchAuditRequest { KeyName = "carol", Method = "CreateOffer", From = Timestamp.FromDateTime(started), Page = new PageRequest { PageSize = 3, PageToken = token } });
            Assert.True(page.Entries.Count <= 3);
            seen.AddRange(page.Entries.Select(e => e.Targets.Single(t => t.Field == "offer_id").Id));
            token = page.Page.NextPageToken;
        }
        while (token.Length > 0);

        Assert.Equal(ids, seen);
    }
}

public class AuditPolicyTests
{
    [Theory]
    [InlineData("/personalization.v1.CampaignService/CreateCampaign", "campaign-manager", AuditKind.Change)]
    [InlineData("/personalization.v1.CampaignService/PauseCampaign", "campaign-manager", AuditKind.Change)]
    [InlineData("/personalization.v1.ModelService/PushModel", "data-scientist", AuditKind.Change)]
    [InlineData("/personalization.v1.ModelService/SetTrafficSplit", "data-scientist", AuditKind.Change)]
    [InlineData("/personalization.v1.ModelService/ExportTrainingData", "data-scientist", AuditKind.Export)]
    [InlineData("/personalization.v1.ProfileService/ExportProfile", "admin", AuditKind.Export)]
    [InlineData("/personalization.v1.ProfileService/ForgetProfile", "admin", AuditKind.Erase)]
    [InlineData("/personalization.v1.ProfileService/GetProfile", "admin", AuditKind.Read)]
    [InlineData("/personalization.v1.ProfileService/ListProfiles", "admin", AuditKind.Read)]
    [InlineData("/personalization.v1.AccessService/GetCaller", "campaign-manager", AuditKind.Read)]
    [InlineData("/personalization.v1.ReportService/ListResponders", "campaign-manager", AuditKind.Read)]
    [InlineData("/personalization.v1.ProductService/UpsertProduct", "campaign-manager", AuditKind.Change)]
    [InlineData("/personalization.v1.ProductService/ImportProducts", "campaign-manager", AuditKind.Change)]
    [InlineData("/personalization.v1.ProductService/ArchiveProduct", "campaign-manager", AuditKind.Change)]
    public void AuditedCalls(string method, string role, AuditKind kind) => Assert.Equal(kind, AuditPolicy.Kind(method, [role]));

    [Theory]
    [InlineData("/personalization.v1.ProfileService/GetProfile", "app")]
    [InlineData("/personalization.v1.EventService/Track", "app")]
    [InlineData("/personalization.v1.DecisionService/Decide", "admin")]
    [InlineData("/personalization.v1.DecisionService/RecordOutcome", "app")]
    [InlineData("/personalization.v1.CampaignService/GetCampaign", "campaign-manager")]
    [InlineData("/personalization.v1.CampaignService/WatchCampaign", "campaign-manager")]
    [InlineData("/personalization.v1.SegmentService/PreviewSegment", "campaign-manager")]
    [InlineData("/personalization.v1.AuditService/SearchAudit", "admin")]
    [InlineData("/personalization.v1.RecommendService/Recommend", "app")]
    [InlineData("/personalization.v1.ProductService/ListProducts", "campaign-manager")]
    [InlineData("/personalization.v1.ReportService/GetReport", "campaign-manager")]
    [InlineData("/grpc.health.v1.Health/Check", "admin")]
    public void UnauditedCalls(string method, string role) => Assert.Null(AuditPolicy.Kind(method, [role]));

    [Fact]
    public void TargetsAreTheIdsOnlyOneMessageDeep()
    {
        var request = new CreateOfferRequest { Offer = new Offer { OfferId = "o-1", Name = "Jane's birthday gift", Content = "Dear Jane" } };
        Assert.Equal([new AuditTarget { Field = "offer_id", Id = "o-1" }], AuditPolicy.Targets(request));
        Assert.Equal([new AuditTarget { Field = "customer_id", Id = "c-9" }], AuditPolicy.Targets(new ForgetProfileRequest { CustomerId = "c-9" }));
        Assert.Empty(AuditPolicy.Targets(null));
    }
}
