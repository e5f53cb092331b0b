namespace Personalization.Contracts.Campaigns;

/// <summary>What a campaign did with a command.</summary>
public enum CampaignResultStatus
{
    /// <summary>Done.</summary>
    Ok,

    /// <summary>Create: a campaign with that id exists.</summary>
    AlreadyExists,

    /// <summary>No campaign with that id.</summary>
    NotFound,

    /// <summary>The command does not apply in the campaign's state (e.g. starting a completed campaign); nothing changed.</summary>
    WrongState,
}
