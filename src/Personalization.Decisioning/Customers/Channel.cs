namespace Personalization.Decisioning.Customers;

/// <summary>A delivery or interaction channel; numbers match <c>personalization.v1.Channel</c>.</summary>
public enum Channel
{
    Unspecified = 0,
    Web = 1,
    App = 2,
    Email = 3,
    Sms = 4,
    Push = 5,
    InApp = 6,
    Social = 7,
    Store = 8,
    CallCenter = 9,
    DirectMail = 10,
}
