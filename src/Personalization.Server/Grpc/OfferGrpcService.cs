using System.Text;
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
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 1000;

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
        var size = request.Page?.PageSize ?? 0;
        if (size is < 0 or > MaxPageSize)
        {
            throw Invalid($"page.page_size: between 0 and {MaxPageSize}, got {size}.");
        }

        var page = await Catalog.List(size == 0 ? DefaultPageSize : size, After(request.Page?.PageToken), request.IncludeArchived, request.Tag);
        var response = new ListOffersResponse
        {
            Page = new PageInfo { NextPageToken = page.NextAfter is null ? "" : Convert.ToBase64String(Encoding.UTF8.GetBytes(page.NextAfter)), TotalSize = page.Total },
        };
        response.Offers.AddRange(page.Offers.Select(OfferMapping.ToContract));
        return response;
    }

    private static Decisioning.Offers.Offer Validated(Offer? offer)
    {
        if (offer is null)
        {
            throw Invalid("offer: is required.");
        }

        var domain = OfferMapping.ToDomain(offer);
        var errors = OfferRules.Validate(domain);
        return errors.Count == 0 ? domain : throw Invalid(string.Join("; ", errors));
    }

    private static Offer Found(CatalogResult result, string offerId) =>
        result.Status == CatalogStatus.NotFound
            ? throw new RpcException(new Status(StatusCode.NotFound, $"offer_id: no offer '{offerId}'."))
            : OfferMapping.ToContract(result.Offer!);

    private static string? After(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(token));
        }
        catch (FormatException)
        {
            throw Invalid("page.page_token: not a token this service issued.");
        }
    }

    private static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));
}
