namespace Personalization.Decisioning.Offers;

/// <summary>The kind of offer; numbers match <c>personalization.v1.OfferType</c>.</summary>
public enum OfferType
{
    Unspecified = 0,
    Bogo = 1,
    Discount = 2,
    Informational = 3,
    Retention = 4,
    Upsell = 5,
    Service = 6,
}
