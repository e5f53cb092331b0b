namespace Personalization.Cli.Tests;

/// <summary>Runs the CLI in-process as a user would type it, capturing what it prints.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await CliApp.RunAsync(args, output, error);

        return (exitCode, output.ToString(), error.ToString());
    }
}
