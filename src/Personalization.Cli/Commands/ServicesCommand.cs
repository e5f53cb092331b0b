using System.CommandLine;
using Grpc.Reflection.V1Alpha;

namespace Personalization.Cli.Commands;

/// <summary><c>personalize services</c>: lists the server's gRPC services through server reflection.</summary>
public static class ServicesCommand
{
    public static Command Create()
    {
        var command = new Command("services", "List the gRPC services the server offers (via reflection).");
        command.SetAction(async (parse, cancellationToken) =>
        {
            using var channel = GlobalOptions.Channel(parse);
            var client = new ServerReflection.ServerReflectionClient(channel);
            using var call = client.ServerReflectionInfo(cancellationToken: cancellationToken);
            await call.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" }, cancellationToken);
            await call.RequestStream.CompleteAsync();
            while (await call.ResponseStream.MoveNext(cancellationToken))
            {
                foreach (var service in call.ResponseStream.Current.ListServicesResponse.Service)
                {
                    parse.InvocationConfiguration.Output.WriteLine(service.Name);
                }
            }

            return 0;
        });
        return command;
    }
}
