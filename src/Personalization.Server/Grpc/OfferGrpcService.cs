using Grpc.Core;
using Personalization.Contracts.Offers;
using Personalization.Decisioning.Content;
using Personalization.Decisioning.Customers;
using Personalization.Decisioning.Decisions;
using Personalization.Decisioning.Offers;
using Personalization.Server.Security;
using Personalization.V1;
using Personalization.V1.Conversions;
using Offer = Personalization.V1.Offer;

namespace Personalization.Server.Grpc;

/// <summary>OfferService: validates offer definitions and keeps them in the offer catalog grain.</summary>
public sealed class OfferGrpcService(IGrainFactory grains, TimeProvider time) : OfferService.OfferServiceBase
{
    private IOfferCatalogGrain Catalog => grains.GetGrain<IOfferCatalogGrain>(IOfferCatalogGrain.DefaultKey);

    public override async Task<Offer> CreateOffer(CreateOfferRequest request, ServerCallContext context)
    {
        var result = await Catalog.Create(Validated(request.Offer));
        return result.Status == CatalogStatus.AlreadyExists
            ? throw new RpcException(new Status(StatusCode.AlreadyExists, $"offer.offer_id: '{request.Offer.OfferId}' exists; use UpdateOffer to change it."))
            : OfferMapping.ToContract(result.Offer!);
    }

    public override async Task<Offer> UpdateOffer(UpdateOfferRequest request, ServerCallContext context) =>
        Found(await Catalog.Update(Validated(request.Offer)), request.Offer.OfferId);

    public override async Task<Offer> GetOffer(GetOfferRequest request, ServerCallContext context) =>
        Found(await Catalog.Get(request.OfferId), request.OfferId);

    public override async Task<Offer> ArchiveOffer(ArchiveOfferRequest request, ServerCallContext context) =>
        Found(await Catalog.Archive(request.OfferId), request.OfferId);

    public override async Task<ListOffersResponse> ListOffers(ListOffersRequest request, ServerCallContext context)
    {
        var page = await Catalog.List(Paging.Size(request.Page), Paging.Decode(request.Page?.PageToken), request.IncludeArchived, request.Tag);
        var response = new ListOffersResponse
        {
            Page = new PageInfo { NextPageToken = page.NextAfter is null ? "" : Paging.Encode(page.NextAfter), TotalSize = page.Total },
        };
        response.Offers.AddRange(page.Offers.Select(OfferMapping.ToContract));
        return response;
    }

    public override async Task<PreviewOfferContentResponse> PreviewOfferContent(PreviewOfferContentRequest request, ServerCallContext context)
    {
        var offer = Validated(request.Offer);
        var channel = (Decisioning.Customers.Channel)(int)request.Channel;
        if (!Enum.IsDefined(channel) || channel == Decisioning.Customers.Channel.Unspecified)
        {
            throw GrpcErrors.Invalid("channel: choose the channel the content is for.");
        }

        if (request.Placement.Length > 0 && !PlacementContext.IsPlacement(request.Placement))
        {
            throw GrpcErrors.Invalid("placement: 1 to 64 letters, digits, '-', '_' or '.'.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        string renderedAs;
        CustomerState state;
        if (request.CustomerId.Length > 0)
        {
            if (request.SampleTraits.Count > 0)
            {
                throw GrpcErrors.Invalid("sample_traits: give a customer_id or sample traits, not both.");
            }

            // A customer's rendered content shows its profile: the same permission as reading the profile.
            if (ApiKeyInterceptor.Caller(context) is { } caller && !Roles.Allows(caller.Roles, Roles.Admin))
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied, "customer_id: rendering a customer's profile needs the admin role; preview with sample_traits instead."));
            }

            (renderedAs, state) = await CustomerLookup.FindAsync(grains, request.CustomerId);
        }
        else
        {
            renderedAs = "sample";
            state = Sample(request, now);
        }

        var customerId = renderedAs == "sample" ? "sample" : CustomerKeys.IsAnonymous(renderedAs) ? "" : renderedAs;
        var (content, problem) = ContentTemplates.Render(offer, channel, request.Placement, state, customerId, new PlacementContext(request.Placement), [], now);
        if (problem is null && Decisioning.Offers.OfferContent.Best(offer.Contents, channel, request.Placement) is null)
        {
            problem = $"no content for {request.Channel} at placement '{request.Placement}': add a template for this channel (or any channel) and placement (or any placement)";
        }

        return new PreviewOfferContentResponse
        {
            Content = content,
            Problem = problem ?? "",
            HtmlEscaped = ContentTemplates.EscapesHtml(channel),
            RenderedAs = renderedAs,
        };
    }

    // A customer made of the sample traits only, as the editor gives them.
    private static CustomerState Sample(PreviewOfferContentRequest request, DateTime now)
    {
        var errors = new List<FieldError>();
        var state = new CustomerState();
        foreach (var (name, value) in request.SampleTraits)
        {
            if (EventMapping.ToTraitValue(value, $"sample_traits[{name}]", errors) is { } trait)
            {
                state.Traits[name] = new TraitEntry(trait, now);
            }
        }

        return errors.Count == 0 ? state : throw GrpcErrors.Invalid(string.Join("; ", errors));
    }

    private static Decisioning.Offers.Offer Validated(Offer? offer)
    {
        if (offer is null)
        {
            throw GrpcErrors.Invalid("offer: is required.");
        }

        var domain = OfferMapping.ToDomain(offer);
        var errors = OfferRules.Validate(domain);
        return errors.Count == 0 ? domain : throw GrpcErrors.Invalid(string.Join("; ", errors));
    }

    private static Offer Found(CatalogResult result, string offerId) =>
        result.Status == CatalogStatus.NotFound
            ? throw GrpcErrors.NotFound($"offer_id: no offer '{offerId}'.")
            : OfferMapping.ToContract(result.Offer!);

}
