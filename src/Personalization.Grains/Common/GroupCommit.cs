namespace Personalization.Grains.Common;

/// <summary>
/// Group commit for a silo-wide writer: callers add an item and wait for it to be written; everything
/// added while a write is in flight goes in the next one, so under load one write carries many callers'
/// items and with one caller at a time nothing waits for a timer. <paramref name="write"/> gets the items
/// taken together and must complete (or fail) every one's <see cref="TaskCompletionSource"/>; if it throws,
/// the items it left open fail with that exception. One flush runs at a time.
/// </summary>
public sealed class GroupCommit<T>(Func<IReadOnlyList<(T Item, TaskCompletionSource Done)>, Task> write)
{
    private readonly Lock _gate = new();
    private List<(T Item, TaskCompletionSource Done)> _pending = [];
    private bool _flushing;

    /// <summary>Adds an item; completes once the write that carried it has.</summary>
    public Task AddAsync(T item)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_gate)
        {
            _pending.Add((item, done));
            start = !_flushing;
            _flushing = true;
        }

        if (start)
        {
            _ = Task.Run(FlushLoopAsync);
        }

        return done.Task;
    }

    private async Task FlushLoopAsync()
    {
        while (true)
        {
            List<(T Item, TaskCompletionSource Done)> taken;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _flushing = false;
                    return;
                }

                taken = _pending;
                _pending = [];
            }

            try
            {
                await write(taken);
            }
            catch (Exception ex)
            {
                foreach (var (_, done) in taken)
                {
                    done.TrySetException(ex);
                }
            }
        }
    }
}
