using Grpc.Core;

namespace Personalization.Server.Grpc;

/// <summary>The statuses the adapters answer with; the detail names the field and the reason.</summary>
public static class GrpcErrors
{
    /// <summary>INVALID_ARGUMENT, e.g. "event.purchase.total.amount: must not be negative, got -5."</summary>
    public static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));

    /// <summary>NOT_FOUND, e.g. "offer_id: no offer 'x'."</summary>
    public static RpcException NotFound(string detail) => new(new Status(StatusCode.NotFound, detail));
}
