namespace Personalization.Decisioning.Measurement;

/// <summary>What happened at a touch: the message lifecycle a connector or the client reports.</summary>
public enum TouchKind : byte
{
    /// <summary>A message was sent.</summary>
    Sent = 0,

    /// <summary>A message reached the customer, or an inbound offer was shown.</summary>
    Delivered = 1,

    /// <summary>A message was opened.</summary>
    Opened = 2,

    /// <summary>A link in a message (or an inbound offer) was clicked.</summary>
    Clicked = 3,
}
