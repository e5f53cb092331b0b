namespace Personalization.Decisioning.Limits;

/// <summary>
/// One API key's cluster-wide token bucket, as its owner holds it: the tokens left and when they were
/// counted. Silos borrow tokens from it in leases (README: Security, rate limits); the bucket refills at the
/// key's rate up to its burst, so the cluster together never spends more than burst + rate × time.
/// </summary>
/// <param name="Tokens">Tokens left at <paramref name="At"/>.</param>
/// <param name="At">When <paramref name="Tokens"/> was counted.</param>
public readonly record struct KeyBudget(double Tokens, DateTime At)
{
    /// <summary>A full bucket at <paramref name="now"/>: a new owner starts with the key's burst.</summary>
    public static KeyBudget Full(int burst, DateTime now) => new(burst, now);

    /// <summary>
    /// Lends up to <paramref name="want"/> tokens at <paramref name="now"/>: refills at <paramref name="rate"/>
    /// per second (never above <paramref name="burst"/>), then grants what is there, whole tokens only.
    /// </summary>
    /// <returns>The tokens granted (0 when the bucket is dry) and the bucket after the grant.</returns>
    public (int Granted, KeyBudget Next) Lend(int want, DateTime now, int rate, int burst)
    {
        var elapsed = Math.Max(0, (now - At).TotalSeconds);
        var tokens = Math.Min(burst, Tokens + (elapsed * rate));
        var granted = (int)Math.Clamp(Math.Floor(tokens), 0, Math.Max(0, want));
        return (granted, new KeyBudget(tokens - granted, now > At ? now : At));
    }

    /// <summary>
    /// How many tokens a silo asks for: its recent demand over two lease periods (at least one token), or the
    /// key's burst when it has no recent demand to go by; never more than the burst.
    /// </summary>
    /// <param name="attempts">Calls the silo saw for the key since its last lease (admitted or refused).</param>
    /// <param name="since">The time those attempts span; zero or less when the silo has no history.</param>
    /// <param name="period">The lease period the ask should cover.</param>
    /// <param name="burst">The key's burst.</param>
    public static int Want(long attempts, TimeSpan since, TimeSpan period, int burst)
    {
        if (since <= TimeSpan.Zero || attempts <= 0)
        {
            return burst;
        }

        var perSecond = attempts / Math.Max(since.TotalSeconds, period.TotalSeconds);
        return (int)Math.Clamp(Math.Ceiling(perSecond * 2 * period.TotalSeconds), 1, burst);
    }
}
