namespace Personalization.Contracts.Persistence;

/// <summary>Background loops' pacing: the next tick of a periodic timer, false once stopping.</summary>
public static class Ticks
{
    /// <summary>Waits for the next tick; false when <paramref name="stop"/> is cancelled.</summary>
    public static async Task<bool> NextAsync(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop) && !stop.IsCancellationRequested;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
