namespace Personalization.Decisioning.Decisions;

/// <summary>What a customer did with an action; numbers match <c>personalization.v1.Outcome</c>.</summary>
public enum Outcome
{
    Unspecified = 0,
    Shown = 1,
    Opened = 2,
    Clicked = 3,
    Converted = 4,
    Dismissed = 5,
}
