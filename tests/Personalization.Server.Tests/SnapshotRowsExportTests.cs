using Grpc.Core;
using Personalization.Testing;
using Personalization.V1;
using Timestamp = Google.Protobuf.WellKnownTypes.Timestamp;

namespace Personalization.Server.Tests;

/// <summary>
/// Snapshot rows' bad input over real gRPC: INVALID_ARGUMENT naming the field for a label window out
/// of range, a snapshot whose label window has not ended, <c>since</c> with snapshot rows, a snapshot
/// for churn or offer rows and a bad kind name; FAILED_PRECONDITION when the event export they replay
/// is off (the shared server's default).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SnapshotRowsExportTests(ServerEnvironment environment)
{
    private async Task<RpcException> ExportAsync(ExportTrainingDataRequest request)
    {
        request.Features.Add("purchases");
        return await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = new ModelService.ModelServiceClient(environment.Shared.Channel).ExportTrainingData(request);
            while (await call.ResponseStream.MoveNext(CancellationToken.None))
            {
            }
        });
    }

    [Theory]
    [InlineData("window", "label_window_days")]
    [InlineData("unfinished", "as_of")]
    [InlineData("since", "since")]
    [InlineData("churn-snapshot", "as_of")]
    [InlineData("kind", "kind_name")]
    public async Task BadSnapshotRequestsAreRefusedNamingTheField(string bad, string field)
    {
        var request = new ExportTrainingDataRequest { KindName = "clv", AsOf = Timestamp.FromDateTime(DateTime.UtcNow.AddDays(-100)) };
        switch (bad)
        {
            case "window":
                request.LabelWindowDays = 400;
                break;
            case "unfinished":
                request.AsOf = Timestamp.FromDateTime(DateTime.UtcNow.AddDays(-1));
                break;
            case "since":
                request.Since = Timestamp.FromDateTime(DateTime.UtcNow.AddDays(-200));
                break;
            case "churn-snapshot":
                request.KindName = "";
                request.Kind = ModelKind.Churn;
                break;
            default:
                request.KindName = "Life_Time";
                break;
        }

        var error = await ExportAsync(request);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith(field + ":", error.Status.Detail);
    }

    [Fact]
    public async Task SnapshotRowsNeedTheEventExport()
    {
        var error = await ExportAsync(new ExportTrainingDataRequest { KindName = "purchase-propensity", AsOf = Timestamp.FromDateTime(DateTime.UtcNow.AddDays(-100)) });

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("EventExport:Enabled", error.Status.Detail);
    }
}
