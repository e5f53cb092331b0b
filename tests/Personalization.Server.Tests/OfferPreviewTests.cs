using Grpc.Core;
using Personalization.Server.Security;
using Personalization.Testing;
using Personalization.V1;
using Value = Personalization.V1.Value;

namespace Personalization.Server.Tests;

/// <summary>
/// An offer editor's rendered preview (<c>PreviewOfferContent</c>) over real gRPC: a draft rendered with sample traits
/// (escaped as HTML for web, not for SMS), a real customer's profile for an admin only, the offer's best template for
/// the channel and placement, and bad drafts refused naming the field, with nothing saved.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class OfferPreviewTests(ServerEnvironment environment)
{
    private static readonly string AdminKey = $"admin-{Guid.NewGuid():N}";
    private static readonly string ManagerKey = $"cm-{Guid.NewGuid():N}";

    private static Offer Draft(string id)
    {
        var offer = new Offer { OfferId = id, Name = "Winter sale", Type = OfferType.Discount, Value = 10, Reward = 15, Channels = { Channel.Web, Channel.Sms } };
        offer.Placements.Add("home-hero");
        offer.Contents.Add(new OfferContent { Channel = Channel.Web, Placement = "home-hero", Template = "<h1>{{ traits.first_name | default: 'Hello' }}, {{ offer.reward }} off</h1>" });
        offer.Contents.Add(new OfferContent { Channel = Channel.Sms, Template = "{{ traits.first_name }}: {{ offer.reward }} off today" });
        return offer;
    }

    [Fact]
    public async Task ADraftRendersWithSampleTraitsAndACustomerOnlyForAnAdmin()
    {
        await using var server = await TestServer.StartAsync(TestServer.WithKeys(TestServer.Settings(environment.Azurite), ("ops", AdminKey, Roles.Admin), ("cm", ManagerKey, Roles.CampaignManager)));
        var asManager = new OfferService.OfferServiceClient(server.Channel.Sending(ManagerKey));
        var asAdmin = new OfferService.OfferServiceClient(server.Channel.Sending(AdminKey));
        var id = $"preview-{Guid.NewGuid():N}";

        var web = await asManager.PreviewOfferContentAsync(new PreviewOfferContentRequest
        {
            Offer = Draft(id), Channel = Channel.Web, Placement = "home-hero", SampleTraits = { ["first_name"] = new Value { StringValue = "<Ada>" } },
        });
        Assert.Equal("<h1>&lt;Ada&gt;, 15 off</h1>", web.Content);
        Assert.True(web.HtmlEscaped);
        Assert.Equal("sample", web.RenderedAs);
        Assert.Equal("", web.Problem);

        var sms = await asManager.PreviewOfferContentAsync(new PreviewOfferContentRequest
        {
            Offer = Draft(id), Channel = Channel.Sms, SampleTraits = { ["first_name"] = new Value { StringValue = "<Ada>" } },
        });
        Assert.Equal("<Ada>: 15 off today", sms.Content);
        Assert.False(sms.HtmlEscaped);

        var none = await asManager.PreviewOfferContentAsync(new PreviewOfferContentRequest { Offer = Draft(id), Channel = Channel.Email });
        Assert.Equal("", none.Content);
        Assert.Contains("no content for Email", none.Problem);

        // Nothing was saved by previewing.
        var missing = await Assert.ThrowsAsync<RpcException>(() => asManager.GetOfferAsync(new GetOfferRequest { OfferId = id }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);

        var customer = $"c-{Guid.NewGuid():N}";
        await new EventService.EventServiceClient(server.Channel.Sending(AdminKey)).TrackAsync(new TrackRequest { Event = Ev.Traits(customer, DateTime.UtcNow, ("first_name", new Value { StringValue = "Grace" })) });
        var refused = await Assert.ThrowsAsync<RpcException>(() => asManager.PreviewOfferContentAsync(new PreviewOfferContentRequest { Offer = Draft(id), Channel = Channel.Web, Placement = "home-hero", CustomerId = customer }).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.StartsWith("customer_id:", refused.Status.Detail);

        var real = await asAdmin.PreviewOfferContentAsync(new PreviewOfferContentRequest { Offer = Draft(id), Channel = Channel.Web, Placement = "home-hero", CustomerId = customer });
        Assert.Equal("<h1>Grace, 15 off</h1>", real.Content);
        Assert.Equal(customer, real.RenderedAs);
    }

    [Fact]
    public async Task BadPreviewsAreRefusedNamingTheField()
    {
        await using var server = await TestServer.StartAsync(TestServer.Settings(environment.Azurite));
        var offers = new OfferService.OfferServiceClient(server.Channel);
        var id = $"preview-{Guid.NewGuid():N}";

        async Task<string> Refused(PreviewOfferContentRequest request)
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => offers.PreviewOfferContentAsync(request).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            return error.Status.Detail;
        }

        var broken = Draft(id);
        broken.Contents[0].Template = "{{ traits.first_name ";
        Assert.Contains("offer.contents[0].template", await Refused(new PreviewOfferContentRequest { Offer = broken, Channel = Channel.Web }));
        Assert.StartsWith("channel:", await Refused(new PreviewOfferContentRequest { Offer = Draft(id) }));
        Assert.StartsWith("placement:", await Refused(new PreviewOfferContentRequest { Offer = Draft(id), Channel = Channel.Web, Placement = "no spaces allowed" }));
        Assert.StartsWith("sample_traits:", await Refused(new PreviewOfferContentRequest { Offer = Draft(id), Channel = Channel.Web, CustomerId = "c1", SampleTraits = { ["x"] = new Value { StringValue = "y" } } }));
        Assert.StartsWith("offer:", await Refused(new PreviewOfferContentRequest { Channel = Channel.Web }));

        var unknown = await Assert.ThrowsAsync<RpcException>(() => offers.PreviewOfferContentAsync(new PreviewOfferContentRequest { Offer = Draft(id), Channel = Channel.Web, CustomerId = $"nobody-{Guid.NewGuid():N}" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }
}
