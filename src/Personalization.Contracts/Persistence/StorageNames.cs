namespace Personalization.Contracts.Persistence;

/// <summary>Names of the grain storage providers, shared by grains and the host that registers them.</summary>
public static class StorageNames
{
    /// <summary>The durable store for grain state (Azure Blob storage; Azurite on a developer machine).</summary>
    public const string Grains = "grains";
}
