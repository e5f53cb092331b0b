using System.CommandLine;
using Grpc.Core;
using Grpc.Health.V1;

namespace Personalization.Cli.Commands;

/// <summary><c>personalize health</c>: the standard gRPC health check, optionally waiting until serving.</summary>
public static class HealthCommand
{
    public static Command Create()
    {
        var wait = new Option<int>("--wait") { Description = "Seconds to keep trying until the server is SERVING (0: ask once)." };
        var command = new Command("health", "Ask the server whether it is serving (exit code 0 when it is).") { wait };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var client = new Health.HealthClient(channel);
            var deadline = DateTime.UtcNow.AddSeconds(parse.GetValue(wait));
            while (true)
            {
                var status = await CheckAsync(client, cancellationToken);
                if (status == "SERVING" || DateTime.UtcNow >= deadline)
                {
                    parse.InvocationConfiguration.Output.WriteLine(status);
                    return status == "SERVING" ? 0 : 1;
                }

                await Task.Delay(250, cancellationToken);
            }
        });
        return command;
    }

    private static async Task<string> CheckAsync(Health.HealthClient client, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await client.CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(5), cancellationToken: cancellationToken);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving ? "SERVING" : reply.Status.ToString().ToUpperInvariant();
        }
        catch (RpcException ex)
        {
            return $"UNREACHABLE ({ex.StatusCode})";
        }
    }
}
