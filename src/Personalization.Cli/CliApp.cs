using System.CommandLine;
using Personalization.Cli.Commands;

namespace Personalization.Cli;

/// <summary>The personalize command tree.</summary>
public static class CliApp
{
    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand Build()
    {
        var root = new RootCommand("personalize: talk to a Personalization server over gRPC.");
        root.Options.Add(GlobalOptions.Endpoint);
        root.Subcommands.Add(PingCommand.Create());
        root.Subcommands.Add(HealthCommand.Create());
        root.Subcommands.Add(ServicesCommand.Create());
        return root;
    }
}
