namespace Personalization.AzureStorage.Logs;

/// <summary>
/// Reads of something that still grows (a live silo's change log), shared: every caller gets the result of a read
/// that began after it asked — so it sees everything written before it asked — and the callers that ask while one
/// read runs share the next. One read at a time, back to back while callers wait; a failed read fails exactly the
/// callers it carried.
/// </summary>
public sealed class SharedReads<T>(Func<Task<T>> read)
{
    private readonly Lock _gate = new();
    private List<TaskCompletionSource<T>> _waiting = [];
    private bool _reading;
    private int _reads;

    /// <summary>Reads started so far.</summary>
    public int Reads => Volatile.Read(ref _reads);

    /// <summary>The result of a read that begins after this call.</summary>
    public Task<T> ReadAsync()
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_gate)
        {
            _waiting.Add(done);
            start = !_reading;
            _reading = true;
        }

        if (start)
        {
            _ = Task.Run(LoopAsync);
        }

        return done.Task;
    }

    private async Task LoopAsync()
    {
        while (true)
        {
            List<TaskCompletionSource<T>> taken;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _reading = false;
                    return;
                }

                (taken, _waiting) = (_waiting, []);
                Interlocked.Increment(ref _reads);
            }

            try
            {
                var result = await read();
                taken.ForEach(t => t.TrySetResult(result));
            }
            catch (Exception ex)
            {
                taken.ForEach(t => t.TrySetException(ex));
            }
        }
    }
}
