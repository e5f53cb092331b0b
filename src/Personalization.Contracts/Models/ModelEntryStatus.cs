namespace Personalization.Contracts.Models;

/// <summary>Where a model version stands (the numbers match the public contract's ModelStatus).</summary>
public enum ModelEntryStatus
{
    /// <summary>Not set.</summary>
    None = 0,

    /// <summary>Uploaded, not serving.</summary>
    Staged = 1,

    /// <summary>Serving as champion.</summary>
    Active = 2,

    /// <summary>Serving a share of customers as challenger.</summary>
    Challenger = 3,

    /// <summary>Served before; can be rolled back to.</summary>
    Retired = 4,

    /// <summary>Failed validation; never serves.</summary>
    Rejected = 5,
}
