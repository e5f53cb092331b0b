using Grpc.Core;
using Personalization.V1;

namespace Personalization.Load;

/// <summary>Seeds customers over gRPC: batches of whole customers, several batches in flight, a pushed-back batch sent again.</summary>
public static class Seeder
{
    /// <summary>
    /// Sends <paramref name="eventsOf"/>(i) for every customer i below <paramref name="customers"/>,
    /// <paramref name="perBatch"/> customers a batch, <paramref name="workers"/> batches at once;
    /// <paramref name="progress"/> hears each acknowledged batch's first customer. Returns the events accepted.
    /// </summary>
    public static async Task<long> SeedAsync(EventService.EventServiceClient events, int customers, int perBatch, int workers, Func<int, IEnumerable<Event>> eventsOf, Action<int>? progress = null)
    {
        var next = 0;
        var accepted = 0L;
        async Task WorkerAsync()
        {
            while (true)
            {
                var start = Interlocked.Add(ref next, perBatch) - perBatch;
                if (start >= customers)
                {
                    return;
                }

                var batch = new TrackBatchRequest();
                for (var i = start; i < Math.Min(customers, start + perBatch); i++)
                {
                    batch.Events.Add(eventsOf(i));
                }

                var answer = await TrackAsync(events, batch);
                Interlocked.Add(ref accepted, answer.Accepted);
                progress?.Invoke(start);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => WorkerAsync()));
        return accepted;
    }

    // A batch the server pushes back (a full log) or could not take (a silo going away) is sent again for up to two
    // minutes, as a client following the contract does: its events carry ids, so a repeat is dropped, not applied twice.
    private static async Task<TrackBatchResponse> TrackAsync(EventService.EventServiceClient events, TrackBatchRequest batch)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (true)
        {
            try
            {
                return await events.TrackBatchAsync(batch);
            }
            catch (RpcException e) when (e.StatusCode is StatusCode.ResourceExhausted or StatusCode.Unavailable && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500);
            }
        }
    }
}
