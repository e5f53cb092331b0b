using Orleans;

namespace Personalization.Decisioning.Customers;

/// <summary>
/// One send the customer received, in 8 bytes: its channel and its time in whole minutes since
/// 0001-01-01 UTC, rounded up, so a send leaves a cap window at most a minute late, never early.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct SendMark
{
    /// <summary>Minutes since 0001-01-01 UTC, rounded up (an int lasts until the year 4083).</summary>
    [Id(0)] public int Minute { get; init; }

    [Id(1)] public Channel Channel { get; init; }

    /// <summary>The mark of a send on <paramref name="channel"/> at <paramref name="at"/>.</summary>
    public static SendMark Of(Channel channel, DateTime at) =>
        new() { Channel = channel, Minute = (int)Math.Min(int.MaxValue, (at.Ticks + TimeSpan.TicksPerMinute - 1) / TimeSpan.TicksPerMinute) };

    /// <summary>Whether the send is later than <paramref name="since"/>.</summary>
    public bool After(DateTime since) => (long)Minute * TimeSpan.TicksPerMinute > since.Ticks;
}
