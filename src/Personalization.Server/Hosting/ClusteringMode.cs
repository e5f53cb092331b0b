namespace Personalization.Server.Hosting;

/// <summary>How silos find each other.</summary>
public enum ClusteringMode
{
    /// <summary>One silo on this machine; no membership store.</summary>
    Localhost,

    /// <summary>Several silos sharing membership and reminders in Redis.</summary>
    Redis,
}
