namespace Personalization.Decisioning.Customers;

/// <summary>What happened; numbers match <c>personalization.v1.EventType</c>.</summary>
public enum CustomerEventType
{
    Unspecified = 0,
    PageView = 1,
    ScreenView = 2,
    Search = 3,
    ProductView = 4,
    AddToCart = 5,
    RemoveFromCart = 6,
    CheckoutStarted = 7,
    Purchase = 8,
    SubscriptionChange = 9,
    StoreVisit = 10,
    CallCenterContact = 11,
    Complaint = 12,
    MessageSent = 13,
    MessageDelivered = 14,
    MessageOpened = 15,
    MessageClicked = 16,
    MessageConverted = 17,
    MessageBounced = 18,
    Unsubscribed = 19,
    SpamComplaint = 20,
    ConsentGranted = 21,
    ConsentWithdrawn = 22,
    TraitsSet = 23,
    TimeZoneSet = 24,
    Identify = 25,
    SessionStarted = 26,
}
