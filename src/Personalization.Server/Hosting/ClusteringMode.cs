namespace Personalization.Server.Hosting;

/// <summary>How silos find each other (setting <c>Cluster:Mode</c>).</summary>
public enum ClusteringMode
{
    /// <summary>Membership in Azure Table storage on the storage account: one silo or several.</summary>
    AzureStorage,

    /// <summary>One silo that never joins another (no membership table); reminders stay on Azure Table storage.</summary>
    Localhost,
}
