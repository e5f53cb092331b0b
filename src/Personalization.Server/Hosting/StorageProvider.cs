namespace Personalization.Server.Hosting;

/// <summary>The grain storage provider (setting <c>Storage:Provider</c>).</summary>
public enum StorageProvider
{
    /// <summary>Orleans' Azure Blob grain storage, one blob per grain state (Azurite on a developer machine): durable.</summary>
    AzureBlob,

    /// <summary>Orleans in-memory storage: state is lost when the silo stops. For benchmarks and demos.</summary>
    Memory,
}
