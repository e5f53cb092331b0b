using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;

namespace Personalization.Server.Tests;

/// <summary>OfferService over real gRPC: the campaign manager's catalog.</summary>
[Collection(ServerCollection.Name)]
public sealed class OfferServiceTests(ServerEnvironment environment)
{
    private readonly OfferService.OfferServiceClient _offers = new(environment.Shared.Channel);

    private static Offer NewOffer(string? id = null, string tag = "spring") => new()
    {
        OfferId = id ?? $"o-{Guid.NewGuid():N}",
        Name = "10% off shoes",
        Type = OfferType.Discount,
        Value = 12,
        Reward = 5,
        Difficulty = 50,
        DurationDays = 7,
        Channels = { Channel.Email, Channel.Web },
        Tags = { tag },
        Caps = new OfferCaps { PerCustomerPerWeek = 2 },
    };

    [Fact]
    public async Task ACreatedOfferReadsBackWithItsTimesAndStatus()
    {
        var offer = NewOffer();

        var created = await _offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer });
        var read = await _offers.GetOfferAsync(new GetOfferRequest { OfferId = offer.OfferId });

        Assert.Equal(OfferStatus.Active, read.Status);
        Assert.Equal(offer.Name, read.Name);
        Assert.Equal([Channel.Email, Channel.Web], read.Channels);
        Assert.Equal(2, read.Caps.PerCustomerPerWeek);
        Assert.Equal(1, read.BusinessWeight); // unset means neutral
        Assert.NotNull(read.CreatedAt);
        Assert.Equal(created.CreatedAt, read.CreatedAt);
    }

    [Fact]
    public async Task CreatingAnExistingIdIsAlreadyExistsAndChangesNothing()
    {
        var offer = NewOffer();
        await _offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer });
        var again = NewOffer(offer.OfferId);
        again.Name = "other";

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _offers.CreateOfferAsync(new CreateOfferRequest { Offer = again }));

        Assert.Equal(StatusCode.AlreadyExists, error.StatusCode);
        Assert.Equal("10% off shoes", (await _offers.GetOfferAsync(new GetOfferRequest { OfferId = offer.OfferId })).Name);
    }

    [Fact]
    public async Task UpdateReplacesTheDefinitionAndKeepsTheCreationTime()
    {
        var offer = NewOffer();
        var created = await _offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer });
        offer.Name = "15% off shoes";
        offer.ValidUntil = Timestamp.FromDateTime(DateTime.UtcNow.AddDays(30));

        var updated = await _offers.UpdateOfferAsync(new UpdateOfferRequest { Offer = offer });

        Assert.Equal("15% off shoes", updated.Name);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.NotNull(updated.ValidUntil);
    }

    [Fact]
    public async Task ArchivedOffersLeaveTheDefaultListing()
    {
        var tag = $"t{Guid.NewGuid():N}"[..20];
        var kept = NewOffer(tag: tag);
        var archived = NewOffer(tag: tag);
        await _offers.CreateOfferAsync(new CreateOfferRequest { Offer = kept });
        await _offers.CreateOfferAsync(new CreateOfferRequest { Offer = archived });

        var result = await _offers.ArchiveOfferAsync(new ArchiveOfferRequest { OfferId = archived.OfferId });
        var active = await _offers.ListOffersAsync(new ListOffersRequest { Tag = tag });
        var all = await _offers.ListOffersAsync(new ListOffersRequest { Tag = tag, IncludeArchived = true });

        Assert.Equal(OfferStatus.Archived, result.Status);
        Assert.Equal([kept.OfferId], active.Offers.Select(o => o.OfferId));
        Assert.Equal(2, all.Offers.Count);
    }

    [Fact]
    public async Task ListingPagesThroughEveryOfferOnce()
    {
        var tag = $"p{Guid.NewGuid():N}"[..20];
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var offer = NewOffer(tag: tag);
            ids.Add(offer.OfferId);
            await _offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer });
        }

        var seen = new List<string>();
        var token = "";
        do
        {
            var page = await _offers.ListOffersAsync(new ListOffersRequest { Tag = tag, Page = new PageRequest { PageSize = 2, PageToken = token } });
            Assert.Equal(5, page.Page.TotalSize);
            seen.AddRange(page.Offers.Select(o => o.OfferId));
            token = page.Page.NextPageToken;
        }
        while (token != "");

        Assert.Equal(ids.Order(StringComparer.Ordinal), seen);
    }

    public static TheoryData<string, string> BadOffers => new()
    {
        { "no-id", "offer.offer_id: is required" },
        { "negative-value", "offer.value: must be a finite number, not negative; got -1." },
        { "no-channels", "offer.channels: at least one channel is required." },
        { "unknown-type", "offer.type: unknown offer type 0." },
        { "rule", "offer.eligibility_rule: at 1:10: expected a value, found the keyword 'and'" },
        { "window", "offer.valid_until: must be after valid_from." },
    };

    [Theory]
    [MemberData(nameof(BadOffers))]
    public async Task ABadOfferIsRejectedNamingTheFieldAndNotSaved(string kind, string expected)
    {
        var offer = NewOffer();
        switch (kind)
        {
            case "no-id": offer.OfferId = ""; break;
            case "negative-value": offer.Value = -1; break;
            case "no-channels": offer.Channels.Clear(); break;
            case "unknown-type": offer.Type = OfferType.Unspecified; break;
            case "rule": offer.EligibilityRule = "tenure < and plan = 'gold'"; break;
            default:
                offer.ValidFrom = Timestamp.FromDateTime(DateTime.UtcNow);
                offer.ValidUntil = Timestamp.FromDateTime(DateTime.UtcNow.AddDays(-1));
                break;
        }

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _offers.CreateOfferAsync(new CreateOfferRequest { Offer = offer }));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail);
        if (offer.OfferId != "")
        {
            var missing = await Assert.ThrowsAsync<RpcException>(async () => await _offers.GetOfferAsync(new GetOfferRequest { OfferId = offer.OfferId }));
            Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        }
    }

    [Fact]
    public async Task UpdatingOrArchivingAnUnknownOfferIsNotFound()
    {
        var update = await Assert.ThrowsAsync<RpcException>(async () => await _offers.UpdateOfferAsync(new UpdateOfferRequest { Offer = NewOffer() }));
        var archive = await Assert.ThrowsAsync<RpcException>(async () => await _offers.ArchiveOfferAsync(new ArchiveOfferRequest { OfferId = "nope" }));

        Assert.Equal(StatusCode.NotFound, update.StatusCode);
        Assert.Equal(StatusCode.NotFound, archive.StatusCode);
    }

    [Fact]
    public async Task ABadPageRequestIsRejected()
    {
        var size = await Assert.ThrowsAsync<RpcException>(async () => await _offers.ListOffersAsync(new ListOffersRequest { Page = new PageRequest { PageSize = 5000 } }));
        var token = await Assert.ThrowsAsync<RpcException>(async () => await _offers.ListOffersAsync(new ListOffersRequest { Page = new PageRequest { PageToken = "%%%" } }));

        Assert.Equal(StatusCode.InvalidArgument, size.StatusCode);
        Assert.StartsWith("page.page_token:", token.Status.Detail);
    }
}
