using System.CommandLine;
using Grpc.Core;
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

    /// <summary>The API key every call carries (header <c>x-api-key</c>); PERSONALIZATION_API_KEY by default.</summary>
    public static readonly Option<string?> ApiKey = new("--api-key")
    {
        Description = "API key sent with every call (env PERSONALIZATION_API_KEY).",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PERSONALIZATION_API_KEY") is { Length: > 0 } env ? env : null,
    };

    /// <summary>A channel to the endpoint the command line names, carrying the API key when there is one.</summary>
    public static GrpcChannel Channel(ParseResult parse)
    {
        var endpoint = parse.GetValue(Endpoint)!;
        if (parse.GetValue(ApiKey) is not { Length: > 0 } key)
        {
            return GrpcChannel.ForAddress(endpoint);
        }

        var withKey = CallCredentials.FromInterceptor((_, headers) =>
        {
            headers.Add("x-api-key", key);
            return Task.CompletedTask;
        });
        var transport = endpoint.Scheme == "https" ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
        return GrpcChannel.ForAddress(endpoint, new GrpcChannelOptions
        {
            Credentials = ChannelCredentials.Create(transport, withKey),
            // The key goes over cleartext HTTP/2 only when the endpoint is http:// (loopback development).
            UnsafeUseInsecureChannelCallCredentials = true,
        });
    }
}
