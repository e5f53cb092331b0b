namespace Personalization.Decisioning.Decisions;

/// <summary>Whether the customer is here now or is to be reached; numbers match <c>personalization.v1.DecisionMode</c>.</summary>
public enum DecisionMode
{
    Unspecified = 0,
    Inbound = 1,
    Outbound = 2,
}
