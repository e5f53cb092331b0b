using Personalization.Contracts.Limits;
using Personalization.Decisioning.Limits;
using Personalization.Server.Security;

namespace Personalization.Server.Limits;

/// <summary>
/// Each API key's request rate across the cluster (a key's own RequestsPerSecond / Burst, else the Limits
/// defaults; a rate of 0 means no limit). A call takes one token from this silo's lease for the key; a lease
/// is borrowed from the key's owner (<see cref="IKeyRateGrain"/>), sized by this silo's recent demand
/// (<see cref="KeyBudget.Want"/>), and lapses after <see cref="LeaseLifetime"/>. The hot path makes no remote
/// call: a new lease is fetched in the background when this one runs low, and a call waits for one only when
/// the silo holds no tokens at all (at most one fetch per key in flight, and a dry owner is asked again only
/// after <see cref="RetryDry"/>). If the owner cannot answer within <see cref="OwnerTimeout"/> the silo lends
/// itself one period of the key's full rate (fails open) until it can.
/// </summary>
public sealed class KeyRateLimits(AuthSettings auth, LimitSettings limits, IGrainFactory grains, TimeProvider time, ILogger<KeyRateLimits> logger)
{
    /// <summary>The period a lease is sized for (two periods of recent demand).</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(100);

    /// <summary>How long lent tokens stay usable; older ones lapse (bounds what a silo can hoard).</summary>
    public static readonly TimeSpan LeaseLifetime = TimeSpan.FromSeconds(1);

    /// <summary>How soon a silo asks a dry owner again; calls in between are refused at once.</summary>
    public static readonly TimeSpan RetryDry = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// How long a call with no token may wait for leases before it is refused although the owner is not dry
    /// (a call is otherwise refused only when the owner says the key's bucket is empty).
    /// </summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(1);

    /// <summary>How long a silo waits for the owner before lending itself one period of the key's rate.</summary>
    public static readonly TimeSpan OwnerTimeout = TimeSpan.FromMilliseconds(500);

    // The latest-started silo's settings win at the owner (a rolling restart changes a key's limit).
    private readonly long _settingsStamp = time.GetUtcNow().UtcTicks;

    private readonly Dictionary<string, Lease> _byKey = auth.Keys
        .Select(k => (Name: k.Key, Rate: k.Value.RequestsPerSecond ?? limits.RequestsPerSecondPerKey, Burst: k.Value.Burst ?? limits.BurstPerKey))
        .Where(k => k.Rate > 0)
        .ToDictionary(k => k.Name, k => new Lease(k.Name, k.Rate, k.Burst), StringComparer.Ordinal);

    /// <summary>Takes a token for the key; null when the call may go on, else why not.</summary>
    public ValueTask<string?> TakeAsync(string keyName)
    {
        if (!_byKey.TryGetValue(keyName, out var lease))
        {
            return ValueTask.FromResult<string?>(null);
        }

        Task? fetch;
        lock (lease)
        {
            var now = time.GetUtcNow().UtcDateTime;
            lease.Attempts++;
            if (lease.Tokens > 0 && now < lease.LapsesAt)
            {
                lease.Tokens--;
                if (lease.Tokens <= lease.LowWater && lease.Fetch is null && now >= lease.NextFetchAt)
                {
                    lease.Fetch = FetchAsync(lease, now);
                }

                return ValueTask.FromResult<string?>(null);
            }

            if (lease.Fetch is null && now >= lease.NextFetchAt)
            {
                lease.Fetch = FetchAsync(lease, now);
            }

            fetch = lease.Fetch;
        }

        return fetch is null ? ValueTask.FromResult<string?>(Refusal(lease)) : AfterFetchAsync(lease, fetch);
    }

    private async ValueTask<string?> AfterFetchAsync(Lease lease, Task fetch)
    {
        var deadline = time.GetUtcNow().UtcDateTime + MaxWait;
        lock (lease)
        {
            lease.Waiting++;
        }

        try
        {
            while (true)
            {
                await fetch;
                lock (lease)
                {
                    var now = time.GetUtcNow().UtcDateTime;
                    if (lease.Tokens > 0 && now < lease.LapsesAt)
                    {
                        lease.Tokens--;
                        return null;
                    }

                    // A lease sized by quieter demand (a burst after an idle second) ran out while calls waited for
                    // it, or calls that arrived later took it: ask again (the ask counts the calls waiting), unless
                    // the owner just said it is dry or this call has waited long enough.
                    if (now < lease.NextFetchAt || now >= deadline)
                    {
                        return Refusal(lease);
                    }

                    lease.Fetch ??= FetchAsync(lease, now);
                    fetch = lease.Fetch;
                }
            }
        }
        finally
        {
            lock (lease)
            {
                lease.Waiting--;
            }
        }
    }

    private async Task FetchAsync(Lease lease, DateTime now)
    {
        // Off the caller's lock and stack: the grain call never runs under the lease's lock.
        await Task.Yield();
        int want;
        lock (lease)
        {
            // At least enough for every call already waiting for this lease.
            want = Math.Min(lease.Burst, Math.Max(
                KeyBudget.Want(lease.Attempts, lease.AttemptsSince == default ? TimeSpan.Zero : now - lease.AttemptsSince, Period, lease.Burst),
                lease.Waiting));
            lease.Attempts = 0;
            lease.AttemptsSince = now;
        }

        int granted;
        try
        {
            granted = await grains.GetGrain<IKeyRateGrain>(lease.Name).Lend(want, lease.Rate, lease.Burst, _settingsStamp).WaitAsync(OwnerTimeout);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The owner is unreachable (its silo died and the cluster has not yet noticed, or it is overloaded):
            // fail open at this silo's share of one period rather than refuse every call.
            granted = Math.Max(1, (int)Math.Ceiling(lease.Rate * Period.TotalSeconds));
            logger.LogWarning(e, "Rate-limit owner for key {KeyName} did not answer; this silo lends itself {Tokens} tokens", lease.Name, granted);
        }

        lock (lease)
        {
            var at = time.GetUtcNow().UtcDateTime;
            var live = at < lease.LapsesAt ? lease.Tokens : 0;
            lease.Tokens = live + granted;
            lease.LapsesAt = at + LeaseLifetime;
            lease.LowWater = granted / 4;
            lease.NextFetchAt = granted < want ? at + RetryDry : at;
            lease.Fetch = null;
        }
    }

    private static string Refusal(Lease lease) =>
        $"key '{lease.Name}' is over its limit of {lease.Rate} requests/s (burst {lease.Burst}) across the cluster; retry after a short pause.";

    /// <summary>One key's lease on this silo; guarded by locking itself.</summary>
    private sealed class Lease(string name, int rate, int burst)
    {
        public string Name { get; } = name;

        public int Rate { get; } = rate;

        public int Burst { get; } = burst;

        public int Tokens { get; set; }

        public DateTime LapsesAt { get; set; }

        public int LowWater { get; set; }

        public DateTime NextFetchAt { get; set; }

        public long Attempts { get; set; }

        public DateTime AttemptsSince { get; set; }

        public Task? Fetch { get; set; }

        public int Waiting { get; set; }
    }
}
