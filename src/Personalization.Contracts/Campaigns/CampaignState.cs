namespace Personalization.Contracts.Campaigns;

/// <summary>A campaign's lifecycle: Draft → (Scheduled →) Running ⇄ Paused → Completed, or Cancelled from any other state (a completed campaign is cancelled to stop its deliveries not yet due).</summary>
public enum CampaignState
{
    /// <summary>No campaign with this id.</summary>
    None = 0,

    /// <summary>Defined, not started.</summary>
    Draft = 1,

    /// <summary>Waiting for its start time (a reminder starts it).</summary>
    Scheduled = 2,

    /// <summary>Fanning out.</summary>
    Running = 3,

    /// <summary>Stopped by the user; resumes where it stopped.</summary>
    Paused = 4,

    /// <summary>Every member decided.</summary>
    Completed = 5,

    /// <summary>Stopped for good.</summary>
    Cancelled = 6,
}
