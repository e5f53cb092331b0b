using Personalization.Testing;

namespace Personalization.AzureStorage.Tests;

/// <summary>Every test in this assembly shares one Azurite.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
