namespace Personalization.AzureStorage.Tests;

/// <summary>Every test in this assembly shares the servers.</summary>
[CollectionDefinition(Name)]
public sealed class StorageCollection : ICollectionFixture<StorageServers>
{
    public const string Name = "Storage";
}
