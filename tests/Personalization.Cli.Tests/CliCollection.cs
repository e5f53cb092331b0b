using Personalization.Testing;

namespace Personalization.Cli.Tests;

/// <summary>CLI tests share one running server; they capture the console, so they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<ServerEnvironment>
{
    public const string Name = "Cli";
}
