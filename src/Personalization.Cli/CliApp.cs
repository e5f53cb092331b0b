using System.CommandLine;
using Grpc.Core;
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
        root.Options.Add(GlobalOptions.ApiKey);
        root.Subcommands.Add(PingCommand.Create());
        root.Subcommands.Add(HealthCommand.Create());
        root.Subcommands.Add(ServicesCommand.Create());
        root.Subcommands.Add(ImportCommand.Create());
        root.Subcommands.Add(ModelCommand.Create());
        root.Subcommands.Add(SegmentCommand.Create());
        root.Subcommands.Add(CampaignCommand.Create());
        root.Subcommands.Add(JourneyCommand.Create());
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(KeyCommand.Create());
        root.Subcommands.Add(AuditCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(RetailCommand.Create());
        return root;
    }

    /// <summary>Runs a command line; a failed call prints its gRPC status in one line and exits 1.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var configuration = new InvocationConfiguration
        {
            EnableDefaultExceptionHandler = false,
            Output = output ?? Console.Out,
            Error = error ?? Console.Error,
        };
        try
        {
            return await Build().Parse(args).InvokeAsync(configuration);
        }
        catch (RpcException ex)
        {
            await configuration.Error.WriteLineAsync($"personalize: {ex.StatusCode}: {ex.Status.Detail}");
            return 1;
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException)
        {
            await configuration.Error.WriteLineAsync($"personalize: {ex.Message}");
            return 2;
        }
    }
}
