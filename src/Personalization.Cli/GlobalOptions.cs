using System.CommandLine;
using Grpc.Net.Client;
using Spectre.Console;

namespace Personalization.Cli;

/// <summary>Options every command takes.</summary>
public static class GlobalOptions
{
    /// <summary>The default server address (the README's run command serves here).</summary>
    public const string DefaultEndpoint = "http://127.0.0.1:5080";

    /// <summary>The server to talk to; PERSONALIZATION_ENDPOINT overrides the default.</summary>
    public static readonly Option<Uri> Endpoint = new("--endpoint", "-e")
    {
        Description = "Server address, e.g. http://127.0.0.1:5080 (env PERSONALIZATION_ENDPOINT).",
        Recursive = true,
        DefaultValueFactory = _ => new Uri(Environment.GetEnvironmentVariable("PERSONALIZATION_ENDPOINT") is { Length: > 0 } env ? env : DefaultEndpoint),
        CustomParser = result =>
        {
            var text = result.Tokens.Single().Value;
            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            {
                return uri;
            }

            result.AddError($"--endpoint: '{text}' is not an http:// or https:// address.");
            return null;
        },
    };

    /// <summary>A Spectre console writing to the command's output (so tests can read what it shows).</summary>
    public static IAnsiConsole Console(ParseResult parse)
    {
        var output = parse.InvocationConfiguration.Output;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (output != System.Console.Out || System.Console.IsOutputRedirected)
        {
            // Not a terminal (a file, a pipe, a test): wide enough that tables never wrap ids.
            console.Profile.Width = 240;
        }

        return console;
    }

    /// <summary>A channel to the endpoint the command line names.</summary>
    public static GrpcChannel Channel(ParseResult parse) => GrpcChannel.ForAddress(parse.GetValue(Endpoint)!);
}
