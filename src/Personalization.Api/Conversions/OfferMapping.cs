using DomainChannel = Personalization.Decisioning.Customers.Channel;
using DomainOffer = Personalization.Decisioning.Offers.Offer;
using DomainOfferCaps = Personalization.Decisioning.Offers.OfferCaps;
using DomainOfferContent = Personalization.Decisioning.Offers.OfferContent;
using DomainOfferStatus = Personalization.Decisioning.Offers.OfferStatus;
using DomainOfferType = Personalization.Decisioning.Offers.OfferType;

namespace Personalization.V1.Conversions;

/// <summary>Maps offers between the contract and the domain.</summary>
public static class OfferMapping
{
    /// <summary>The domain offer for a contract offer (validated separately by OfferRules).</summary>
    public static DomainOffer ToDomain(Offer offer) => new()
    {
        OfferId = offer.OfferId,
        Name = offer.Name,
        Type = (DomainOfferType)(int)offer.Type,
        Value = offer.Value,
        Reward = offer.Reward,
        Difficulty = offer.Difficulty,
        DurationDays = offer.DurationDays,
        Channels = [.. offer.Channels.Select(c => (DomainChannel)(int)c)],
        ValidFrom = offer.ValidFrom?.ToDateTime(),
        ValidUntil = offer.ValidUntil?.ToDateTime(),
        EligibilityRule = offer.EligibilityRule,
        Caps = offer.Caps is null ? new DomainOfferCaps() : new DomainOfferCaps(offer.Caps.PerCustomerPerDay, offer.Caps.PerCustomerPerWeek, offer.Caps.PerCustomerTotal, offer.Caps.Total),
        // Proto3 cannot tell an unset weight from 0; unset means neutral.
        BusinessWeight = offer.BusinessWeight == 0 ? 1 : offer.BusinessWeight,
        Tags = [.. offer.Tags],
        Content = offer.Content,
        Placements = [.. offer.Placements],
        Contents = [.. offer.Contents.Select(c => new DomainOfferContent((DomainChannel)(int)c.Channel, c.Placement, c.Template))],
    };

    /// <summary>The contract offer for a domain offer.</summary>
    public static Offer ToContract(DomainOffer offer)
    {
        var contract = new Offer
        {
            OfferId = offer.OfferId,
            Name = offer.Name,
            Type = (OfferType)(int)offer.Type,
            Value = offer.Value,
            Reward = offer.Reward,
            Difficulty = offer.Difficulty,
            DurationDays = offer.DurationDays,
            ValidFrom = offer.ValidFrom.ToContractOrUnset(),
            ValidUntil = offer.ValidUntil.ToContractOrUnset(),
            EligibilityRule = offer.EligibilityRule,
            Caps = new OfferCaps { PerCustomerPerDay = offer.Caps.PerCustomerPerDay, PerCustomerPerWeek = offer.Caps.PerCustomerPerWeek, PerCustomerTotal = offer.Caps.PerCustomerTotal, Total = offer.Caps.Total },
            BusinessWeight = offer.BusinessWeight,
            Content = offer.Content,
            Status = offer.Status == DomainOfferStatus.Archived ? OfferStatus.Archived : OfferStatus.Active,
            CreatedAt = offer.CreatedAt.ToContractOrUnset(),
            UpdatedAt = offer.UpdatedAt.ToContractOrUnset(),
        };
        contract.Channels.AddRange(offer.Channels.Select(c => (Channel)(int)c));
        contract.Tags.AddRange(offer.Tags);
        contract.Placements.AddRange(offer.Placements);
        contract.Contents.AddRange(offer.Contents.Select(c => new OfferContent { Channel = (Channel)(int)c.Channel, Placement = c.Placement, Template = c.Template }));
        return contract;
    }
}
