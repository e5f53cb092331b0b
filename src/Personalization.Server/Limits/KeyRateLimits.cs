using System.Threading.RateLimiting;
using Personalization.Server.Security;

namespace Personalization.Server.Limits;

/// <summary>
/// One token bucket per API key on this silo: a key's own RequestsPerSecond / Burst, else the
/// Limits defaults; a rate of 0 means no limit. A call takes one token whatever it carries.
/// </summary>
public sealed class KeyRateLimits : IDisposable
{
    private readonly Dictionary<string, (TokenBucketRateLimiter Bucket, int Rate, int Burst)> _byKey = new(StringComparer.Ordinal);

    public KeyRateLimits(AuthSettings auth, LimitSettings limits)
    {
        foreach (var (name, key) in auth.Keys)
        {
            var rate = key.RequestsPerSecond ?? limits.RequestsPerSecondPerKey;
            var burst = key.Burst ?? limits.BurstPerKey;
            if (rate == 0)
            {
                continue;
            }

            // Refill in small steps (about 20 a second) so a burst is not needed to reach the rate.
            var tokens = Math.Max(1, rate / 20);
            var bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = tokens,
                ReplenishmentPeriod = TimeSpan.FromSeconds((double)tokens / rate),
                AutoReplenishment = true,
                QueueLimit = 0,
            });
            _byKey.Add(name, (bucket, rate, burst));
        }
    }

    /// <summary>Takes a token for the key; null when it may go on, else why not.</summary>
    public string? Take(string keyName)
    {
        if (!_byKey.TryGetValue(keyName, out var limit))
        {
            return null;
        }

        using var lease = limit.Bucket.AttemptAcquire();
        return lease.IsAcquired ? null : $"key '{keyName}' is over its limit of {limit.Rate} requests/s (burst {limit.Burst}) on this server; retry after a short pause.";
    }

    public void Dispose()
    {
        foreach (var (bucket, _, _) in _byKey.Values)
        {
            bucket.Dispose();
        }
    }
}
