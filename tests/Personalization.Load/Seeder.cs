using Personalization.V1;

namespace Personalization.Load;

/// <summary>Seeds customers over gRPC: batches of whole customers, several batches in flight.</summary>
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

                var answer = await events.TrackBatchAsync(batch);
                Interlocked.Add(ref accepted, answer.Accepted);
                progress?.Invoke(start);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => WorkerAsync()));
        return accepted;
    }
}
