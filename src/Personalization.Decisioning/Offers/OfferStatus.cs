namespace Personalization.Decisioning.Offers;

/// <summary>Whether an offer can be chosen; numbers match <c>personalization.v1.OfferStatus</c>.</summary>
public enum OfferStatus
{
    Unspecified = 0,
    Active = 1,
    Archived = 2,
}
