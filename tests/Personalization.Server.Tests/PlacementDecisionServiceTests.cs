using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;
using DecisionMode = Personalization.V1.DecisionMode;

namespace Personalization.Server.Tests;

/// <summary>Context, placements and content over real gRPC: what bad offers and requests get, and a multi-placement answer.</summary>
[Collection(ServerCollection.Name)]
public sealed class PlacementDecisionServiceTests(ServerEnvironment environment)
{
    private readonly DecisionService.DecisionServiceClient _decisions = new(environment.Shared.Channel);
    private readonly OfferService.OfferServiceClient _offers = new(environment.Shared.Channel);

    private static Offer NewOffer(string? rule = null, string? template = null)
    {
        var offer = new Offer { OfferId = $"o-{Guid.NewGuid():N}", Name = "offer", Type = OfferType.Discount, Value = 1, Channels = { Channel.Web }, EligibilityRule = rule ?? "" };
        if (template is not null)
        {
            offer.Contents.Add(new OfferContent { Channel = Channel.Web, Template = template });
        }

        return offer;
    }

    [Fact]
    public async Task AnOfferWithATemplateThatDoesNotParseIsRefusedWithItsPosition()
    {
        var offer = NewOffer(template: "Hi {{ traits.first_name");

        var refused = await Assert.ThrowsAsync<RpcException>(async () => await _offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer }));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith("offer.contents[0].template: ", refused.Status.Detail);
        Assert.Contains("(1:", refused.Status.Detail);
        Assert.Equal(StatusCode.NotFound, (await Assert.ThrowsAsync<RpcException>(async () => await _offers.GetOfferAsync(new GetOfferRequest { OfferId = offer.OfferId }))).StatusCode);
    }

    [Fact]
    public async Task AnOfferRuleNamingAnUnknownContextValueIsRefusedWithItsPosition()
    {
        var refused = await Assert.ThrowsAsync<RpcException>(async () => await _offers.CreateOfferAsync(new CreateOfferRequest { Offer = NewOffer(rule: "context.device = 'mobile' and context.screen = 'big'") }));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.StartsWith("offer.eligibility_rule: at 1:31: unknown context name 'context.screen'", refused.Status.Detail);
    }

    [Fact]
    public async Task BadPlacementsAndAttributesAreRefusedNamingTheField()
    {
        var context = new DecisionContext { Mode = DecisionMode.Inbound };
        context.Placements.Add("home hero");
        var twice = new DecisionContext { Mode = DecisionMode.Inbound };
        twice.Placements.Add("hero");
        twice.Placements.Add("hero");
        var attribute = new DecisionContext { Mode = DecisionMode.Inbound };
        attribute.Attributes["9lives"] = new Value { IntValue = 1 };

        async Task<string> Detail(DecisionContext c) =>
            (await Assert.ThrowsAsync<RpcException>(async () => await _decisions.DecideAsync(new DecideRequest { CustomerId = $"c-{Guid.NewGuid():N}", Context = c }))).Status.Detail;

        Assert.StartsWith("context.placements[0]: 'home hero' is not a placement", await Detail(context));
        Assert.StartsWith("context.placements[1]: 'hero' is asked for twice", await Detail(twice));
        Assert.StartsWith("context.attributes[9lives]: names are", await Detail(attribute));
    }

    [Fact]
    public async Task AnOfferKeepsItsPlacementsAndContents()
    {
        var offer = NewOffer(template: "{{ offer.name }}");
        offer.Placements.Add("pdp-below");

        var saved = await _offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer });
        var read = await _offers.GetOfferAsync(new GetOfferRequest { OfferId = offer.OfferId });

        Assert.Equal(["pdp-below"], read.Placements);
        Assert.Equal((Channel.Web, "", "{{ offer.name }}"), (read.Contents.Single().Channel, read.Contents.Single().Placement, read.Contents.Single().Template));
        Assert.Equal(saved.Placements, read.Placements);
    }
}
