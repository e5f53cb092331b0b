namespace Personalization.AzureStorage.Queues;

/// <summary>How a silo's <see cref="DeliveryReleaser"/> works the scheduled queue (bound from <c>Storage:Release*</c>).</summary>
public sealed record DeliveryReleaseOptions
{
    /// <summary>Customers asked at once by one silo (each call covers that customer's share of one message).</summary>
    public int Concurrency { get; init; } = 64;

    /// <summary>How long a silo waits before looking again when nothing was due.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long due deliveries of a paused campaign or journey are hidden again before their owner is asked again.</summary>
    public TimeSpan PausedRecheck { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a received message stays hidden from the other silos while this one releases it (then it is retried).</summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromMinutes(5);
}
