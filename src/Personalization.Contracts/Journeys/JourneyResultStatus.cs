namespace Personalization.Contracts.Journeys;

/// <summary>How a journey registry call ended.</summary>
public enum JourneyResultStatus
{
    Ok = 0,
    NotFound = 1,
    AlreadyExists = 2,
    Invalid = 3,
    WrongState = 4,
}
