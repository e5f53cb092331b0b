using Grpc.Core;
using Personalization.Decisioning.Customers;

namespace Personalization.Server.Grpc;

/// <summary>The statuses the adapters answer with; the detail names the field and the reason.</summary>
public static class GrpcErrors
{
    /// <summary>INVALID_ARGUMENT, e.g. "event.purchase.total.amount: must not be negative, got -5."</summary>
    public static RpcException Invalid(string detail) => new(new Status(StatusCode.InvalidArgument, detail));

    /// <summary>NOT_FOUND, e.g. "offer_id: no offer 'x'."</summary>
    public static RpcException NotFound(string detail) => new(new Status(StatusCode.NotFound, detail));

    /// <summary>ALREADY_EXISTS, e.g. "segment.name: a segment 'vip' exists."</summary>
    public static RpcException AlreadyExists(string detail) => new(new Status(StatusCode.AlreadyExists, detail));

    /// <summary>The id when it is acceptable (<see cref="Ids"/>), else INVALID_ARGUMENT naming the field.</summary>
    public static string RequiredId(string value, string field) =>
        value.Length == 0 ? throw Invalid($"{field}: is required.")
        : Ids.Problem(value, Ids.MaxLength) is { } problem ? throw Invalid($"{field}: {problem}")
        : value;

    /// <summary>RESOURCE_EXHAUSTED: over a limit (batch size, rate), e.g. "events: at most 1000 per batch, got 1001."</summary>
    public static RpcException Exhausted(string detail) => new(new Status(StatusCode.ResourceExhausted, detail));

    /// <summary>FAILED_PRECONDITION: the request is well formed but not allowed in the current state.</summary>
    public static RpcException FailedPrecondition(string detail) => new(new Status(StatusCode.FailedPrecondition, detail));
}
