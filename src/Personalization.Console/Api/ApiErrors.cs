using Grpc.Core;

namespace Personalization.Console.Api;

/// <summary>What a person reads when the server refuses a call: its own message, with what it means.</summary>
public static class ApiErrors
{
    /// <summary>One line for a refused or failed call.</summary>
    public static string Describe(Exception error) => error switch
    {
        RpcException { StatusCode: StatusCode.PermissionDenied } rpc => $"Not allowed for your key: {rpc.Status.Detail}",
        RpcException { StatusCode: StatusCode.Unauthenticated } => "The server no longer accepts your key; sign in again.",
        RpcException { StatusCode: StatusCode.Unavailable } => "The server cannot be reached right now; try again in a moment.",
        RpcException rpc => rpc.Status.Detail,
        _ => error.Message,
    };
}
