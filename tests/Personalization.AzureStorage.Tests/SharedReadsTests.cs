using Personalization.AzureStorage.Logs;

namespace Personalization.AzureStorage.Tests;

/// <summary>Shared reads of a live log: each caller sees a read begun after it asked; callers waiting together share one.</summary>
public sealed class SharedReadsTests
{
    [Fact]
    public async Task CallersWaitingTogetherShareOneReadAndALaterCallerGetsAReadThatBeganAfterIt()
    {
        // The "log": a version number written before each read starts; a read takes as long as the test says.
        var written = 0;
        var gates = new List<TaskCompletionSource>();
        var reads = new SharedReads<int>(async () =>
        {
            var seen = Volatile.Read(ref written);
            var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (gates)
            {
                gates.Add(gate);
            }

            await gate.Task;
            return seen;
        });

        written = 1;
        var first = reads.ReadAsync();
        await WaitForAsync(() => gates.Count == 1);

        // Written while the first read runs: these callers must not get the first read's result.
        written = 2;
        var waiting = Enumerable.Range(0, 100).Select(_ => reads.ReadAsync()).ToList();
        gates[0].SetResult();
        Assert.Equal(1, await first);

        await WaitForAsync(() => gates.Count == 2);
        Assert.All(waiting, w => Assert.False(w.IsCompleted));
        gates[1].SetResult();
        Assert.All(await Task.WhenAll(waiting), v => Assert.Equal(2, v));

        // 101 callers, two reads.
        Assert.Equal(2, reads.Reads);
    }

    [Fact]
    public async Task AFailedReadFailsTheCallersItCarriedAndTheNextCallerReadsAgain()
    {
        var calls = 0;
        var reads = new SharedReads<int>(() => Interlocked.Increment(ref calls) == 1
            ? Task.FromException<int>(new InvalidOperationException("storage down"))
            : Task.FromResult(calls));

        await Assert.ThrowsAsync<InvalidOperationException>(() => reads.ReadAsync());
        Assert.Equal(2, await reads.ReadAsync());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
