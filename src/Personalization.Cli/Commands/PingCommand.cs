using System.CommandLine;
using System.Diagnostics;
using Google.Protobuf;
using Personalization.V1;

namespace Personalization.Cli.Commands;

/// <summary><c>personalize ping</c>: round trips to the server, with their latency.</summary>
public static class PingCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--count", "-n") { Description = "How many pings.", DefaultValueFactory = _ => 1 };
        var grainKey = new Option<string?>("--grain-key") { Description = "Also call the empty grain with this key and show the silo hosting it." };
        var command = new Command("ping", "Round-trip to the server and print the latency.") { count, grainKey };
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var client = new PingService.PingServiceClient(channel);
            var request = new PingRequest { Payload = ByteString.CopyFromUtf8("ping"), GrainKey = parse.GetValue(grainKey) ?? "" };
            for (var i = 0; i < Math.Max(1, parse.GetValue(count)); i++)
            {
                var stopwatch = Stopwatch.StartNew();
                var reply = await client.PingAsync(request, cancellationToken: cancellationToken);
                var where = reply.Info.GrainSilo.Length > 0 ? $" grain on {reply.Info.GrainSilo}" : "";
                parse.InvocationConfiguration.Output.WriteLine($"pong from {reply.Info.GatewaySilo}{where} in {stopwatch.Elapsed.TotalMilliseconds:F2} ms");
            }

            return 0;
        });
        return command;
    }
}
