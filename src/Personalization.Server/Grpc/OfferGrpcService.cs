using Grpc.Core;
using Personalization.Contracts.Offers;
using Personalization.Decisioning.Offers;
using Personalization.V1;
using Personalization.V1.Conversions;
using Offer = Personalization.V1.Offer;

namespace Personalization.Server.Grpc;

/// <summary>OfferService: validates offer definitions and keeps them in the offer catalog grain.</summary>
public sealed class OfferGrpcService(IGrainFactory grains) : OfferService.OfferServiceBase
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
