using Grpc.Core;
using Personalization.Contracts.Diagnostics;
using Personalization.Decisioning.Customers;
using Personalization.Server.Hosting;
using Personalization.V1;

namespace Personalization.Server.Grpc;

/// <summary>
/// EventService: validates every event at the edge, then hands the valid ones to their customer
/// grains. A single event or a batch with any invalid event is rejected whole with
/// INVALID_ARGUMENT naming each bad event's index and field; a stream applies valid events as they
/// come and reports the invalid ones in its summary.
/// </summary>
public sealed class EventGrpcService(CustomerRouter router, EventSettings settings, TimeProvider time) : EventService.EventServiceBase
{
    private const int StreamChunk = 500;
    private const int MaxReportedErrors = 20;

    public override async Task<TrackResponse> Track(TrackRequest request, ServerCallContext context)
    {
        if (request.Event is null)
        {
            throw GrpcErrors.Invalid("event: is required.");
        }

        var (e, errors) = EventMapping.ToDomain(request.Event, Now, settings.Limits);
        if (e is null)
        {
            ProductTelemetry.Tracked(0, 0, 1);
            throw GrpcErrors.Invalid(string.Join("; ", errors.Select(error => $"event.{error}")));
        }

        var result = await router.TrackOneAsync(CustomerKeys.For(e), [e]);
        ProductTelemetry.Tracked(result.Applied, result.Duplicates, 0);
        return new TrackResponse { Applied = result.Applied > 0, CustomerId = result.CustomerId };
    }

    public override async Task<TrackBatchResponse> TrackBatch(TrackBatchRequest request, ServerCallContext context)
    {
        if (request.Events.Count > settings.MaxBatchSize)
        {
            throw GrpcErrors.Exhausted($"events: at most {settings.MaxBatchSize} per batch, got {request.Events.Count}.");
        }

        var (events, rejected) = Validate(request.Events, 0);
        if (rejected.Count > 0)
        {
            ProductTelemetry.Tracked(0, 0, request.Events.Count);
            var shown = rejected.Take(MaxReportedErrors).Select(r => $"events[{r.Index}].{r.Field}: {r.Reason}");
            var more = rejected.Count > MaxReportedErrors ? $"; and {rejected.Count - MaxReportedErrors} more" : "";
            throw GrpcErrors.Invalid($"{rejected.Select(r => r.Index).Distinct().Count()} of {request.Events.Count} events rejected, none applied: {string.Join("; ", shown)}{more}");
        }

        var (applied, duplicates) = await router.TrackAsync(events);
        ProductTelemetry.Tracked(applied, duplicates, 0);
        return new TrackBatchResponse { Accepted = applied, Duplicates = duplicates };
    }

    public override async Task<TrackBatchResponse> TrackStream(IAsyncStreamReader<Event> requestStream, ServerCallContext context)
    {
        var response = new TrackBatchResponse();
        var chunk = new List<Event>(StreamChunk);
        var index = 0;
        while (await requestStream.MoveNext(context.CancellationToken))
        {
            chunk.Add(requestStream.Current);
            if (chunk.Count == StreamChunk)
            {
                await ApplyChunkAsync(chunk, index, response);
                index += chunk.Count;
                chunk.Clear();
            }
        }

        await ApplyChunkAsync(chunk, index, response);
        ProductTelemetry.Tracked(response.Accepted, response.Duplicates, response.Rejected.Count);
        return response;
    }

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    private async Task ApplyChunkAsync(List<Event> chunk, int offset, TrackBatchResponse response)
    {
        var (events, rejected) = Validate(chunk, offset);
        response.Rejected.AddRange(rejected);
        var (applied, duplicates) = await router.TrackAsync(events);
        response.Accepted += applied;
        response.Duplicates += duplicates;
    }

    private (List<CustomerEvent> Valid, List<ItemError> Rejected) Validate(IList<Event> events, int offset)
    {
        var now = Now;
        var limits = settings.Limits;
        var valid = new List<CustomerEvent>(events.Count);
        var rejected = new List<ItemError>();
        for (var i = 0; i < events.Count; i++)
        {
            var (e, errors) = EventMapping.ToDomain(events[i], now, limits);
            if (e is null)
            {
                rejected.AddRange(errors.Select(error => new ItemError { Index = offset + i, Field = error.Field, Reason = error.Reason }));
            }
            else
            {
                valid.Add(e);
            }
        }

        return (valid, rejected);
    }
}
