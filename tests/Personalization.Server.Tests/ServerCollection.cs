using Personalization.Testing;

namespace Personalization.Server.Tests;

/// <summary>Server tests share one <see cref="ServerEnvironment"/> and run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class ServerCollection : ICollectionFixture<ServerEnvironment>
{
    public const string Name = "Server";
}
