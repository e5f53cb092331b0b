using Personalization.Testing;

namespace Personalization.Cli.Tests;

/// <summary>CLI tests share one running server.</summary>
[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<ServerEnvironment>
{
    public const string Name = "Cli";
}
