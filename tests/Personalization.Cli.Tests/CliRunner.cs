namespace Personalization.Cli.Tests;

/// <summary>Runs the CLI in-process as a user would type it, capturing what it prints.</summary>
internal static class CliRunner
{
    private static readonly SemaphoreSlim ConsoleLock = new(1, 1);

    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        await ConsoleLock.WaitAsync();
        var original = Console.Out;
        try
        {
            using var output = new StringWriter();
            Console.SetOut(output);
            var exitCode = await CliApp.Build().Parse(args).InvokeAsync();
            return (exitCode, output.ToString());
        }
        finally
        {
            Console.SetOut(original);
            ConsoleLock.Release();
        }
    }
}
